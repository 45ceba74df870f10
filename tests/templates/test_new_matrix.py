"""``momentum new`` over every combination this install offers: each generated project
has exactly its golden files, only the chosen parts in ``momentum.toml``, a config that
loads and validates against the installed plugins, and depends on ``momentum-coach``
with the extras of its choices only. A few of them run their own tests."""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

import pytest
import yaml

from momentum import load_plugins, load_settings
from momentum.core.config import check_sections
from momentum.core.errors import InputError
from momentum.templates.catalogue import load_catalogue
from momentum.templates.coach import CoachChoices, new_coach
from tests.templates.generated import files_in, golden_files, run_project_tests

CATALOGUE = load_catalogue()
SOURCE_SETS = [(s,) for s in CATALOGUE.sources] + [CATALOGUE.sources]
ALL = [
    CoachChoices(name="my-coach", cloud=cloud, chat=chat, sources=sources, domain=domain)
    for cloud, chat, sources, domain in itertools.product(
        CATALOGUE.clouds, CATALOGUE.chats, SOURCE_SETS, CATALOGUE.domains
    )
]


def _deployable(choices: CoachChoices) -> bool:
    carried = CATALOGUE.deployable.get(choices.cloud)
    return carried is None or {choices.domain, *choices.sources} <= set(carried)


MATRIX = [c for c in ALL if _deployable(c)]
NOT_DEPLOYABLE = [c for c in ALL if not _deployable(c)]


def _id(choices: CoachChoices) -> str:
    return f"{choices.cloud}-{choices.chat}-{'+'.join(choices.sources)}-{choices.domain}"


@pytest.mark.parametrize("choices", MATRIX, ids=_id)
def test_each_combination_generates_its_golden_files_and_a_valid_config(
    tmp_path: Path, choices: CoachChoices
) -> None:
    project = tmp_path / "coach"
    made = new_coach(project, choices)
    assert files_in(project) == golden_files(choices.cloud)
    assert set(made.files) == golden_files(choices.cloud)

    settings = load_settings(project, env={})
    checked = check_sections(settings, load_plugins().settings_schemas())
    assert checked.athlete_id == "me" and checked.chat == choices.chat
    config = tomllib.loads((project / "momentum.toml").read_text())
    plugin_sections = {k for k, v in config.items() if isinstance(v, dict)} - {"model", "prompts"}
    expected = {"slack"} & {choices.chat} | {"strava"} & set(choices.sources)
    assert plugin_sections == expected  # only the chosen parts

    answers = yaml.safe_load((project / ".momentum" / "answers.yml").read_text())
    assert answers["cloud"] == choices.cloud and answers["sources"] == list(choices.sources)
    assert answers["_commit"] == made.version

    [dependency] = tomllib.loads((project / "pyproject.toml").read_text())["project"][
        "dependencies"
    ]
    extras = set(dependency.split("[", 1)[1].split("]", 1)[0].split(","))
    chosen = {choices.cloud, choices.chat, *choices.sources, "groq"} & CATALOGUE.extras
    infra = set() if choices.cloud == "local" else {f"infra-{choices.cloud}", "infra"}
    assert chosen <= extras <= chosen | infra
    assert dependency.startswith("momentum-coach[")

    if choices.cloud != "local":
        stack = yaml.safe_load((project / "Pulumi.dev.yaml").read_text())["config"]
        assert stack["momentum:cloud"] == choices.cloud
        assert set(CATALOGUE.stack_config[choices.cloud]) <= set(stack)
        assert yaml.safe_load((project / "Pulumi.yaml").read_text())["runtime"]["name"] == "python"


@pytest.mark.parametrize("choices", NOT_DEPLOYABLE[:4], ids=_id)
def test_a_source_a_cloud_cannot_carry_yet_is_refused(
    tmp_path: Path, choices: CoachChoices
) -> None:
    with pytest.raises(InputError, match=f"cannot be deployed to {choices.cloud} yet"):
        new_coach(tmp_path / "p", choices)
    assert not (tmp_path / "p").exists()


RUN = [
    CoachChoices(name="local-coach", cloud="local", chat="console", sources=("files",)),
    *[
        CoachChoices(
            name=f"{cloud}-coach",
            cloud=cloud,
            chat=CATALOGUE.chats[-1],
            sources=tuple(s for s in CATALOGUE.sources if s in CATALOGUE.deployable[cloud]),
        )
        for cloud in CATALOGUE.clouds
        if cloud != "local" and set(CATALOGUE.sources) & set(CATALOGUE.deployable[cloud])
    ],
]


@pytest.mark.slow
@pytest.mark.parametrize("choices", RUN, ids=_id)
def test_the_generated_project_passes_its_own_tests(tmp_path: Path, choices: CoachChoices) -> None:
    project = tmp_path / choices.name
    new_coach(project, choices)
    result = run_project_tests(project)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    expected = 6 if choices.cloud != "local" else 5
    assert f"{expected} passed" in result.stdout, result.stdout[-1000:]
