"""Sleep and meals chosen with ``momentum:plugins`` on every cloud's Pulumi program (under
``pulumi.runtime.set_mocks``): the bundle carries them with their data and registers them
on a cold start, and the meals FDC key (``momentum:fdcApiKey``) is stored as that cloud's
secret, never as plain text in the function's settings."""

from __future__ import annotations

import json
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest

from momentum.infra.plugins import (
    BUILTIN_PLUGINS,
    WORKER_DEFAULT_PLUGINS,
    WORKER_PLUGINS,
    check_plugins,
)

pulumi = pytest.importorskip("pulumi")

REPO = Path(__file__).resolve().parents[2]
FDC_KEY = "fdc-program-secret-0123"
DOMAINS = json.dumps(["running", "sleep", "meals"])


def entry_points(archive: zipfile.ZipFile) -> dict[str, str]:
    text = archive.read("momentum_bundle-0.0.0.dist-info/entry_points.txt").decode()
    return dict(line.split(" = ") for line in text.splitlines()[1:])


def assert_carries_sleep_and_meals(names: set[str], points: dict[str, str], root: str) -> None:
    assert points["sleep"] == "momentum.plugins.sleep.plugin"
    assert points["meals"] == "momentum.plugins.meals.plugin"
    assert f"{root}momentum/plugins/meals/data/foods.json" in names
    assert f"{root}momentum/plugins/sleep/prompts/sleep_section.j2" in names
    assert f"{root}momentum/plugins/sleep/winddown.py" in names


def test_the_built_in_list_is_the_packages_entry_points() -> None:
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["entry-points"]
    ours = {k: v for k, v in declared["momentum"].items() if ".plugins." in v}
    assert ours == BUILTIN_PLUGINS
    assert set(WORKER_DEFAULT_PLUGINS) <= set(WORKER_PLUGINS) <= set(BUILTIN_PLUGINS)


def test_an_unknown_plugin_is_named_with_those_on_offer() -> None:
    with pytest.raises(ValueError, match=r"momentum:plugins: unknown plugin 'knitting'"):
        check_plugins(["running", "knitting"], BUILTIN_PLUGINS, "momentum:plugins")
    assert check_plugins(["sleep", "sleep", "meals"], BUILTIN_PLUGINS, "x") == ("sleep", "meals")


@pytest.mark.aws
@pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_aws.*")
def test_aws_ships_sleep_and_meals_and_keeps_the_fdc_key_in_ssm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pulumi_aws", reason="pulumi-aws is not installed")
    from tests.infra.test_aws_program import run
    from tests.infra.test_aws_stack import SECRET_SIG

    monkeypatch.chdir(tmp_path)
    config = {
        "momentum:timezone": "America/Toronto",
        "momentum:plugins": DOMAINS,
        "momentum:requirements": "[]",
        "momentum:fdcApiKey": FDC_KEY,
    }
    mocks, _ = run(config, ["momentum:fdcApiKey"])
    parameters = {p.inputs["name"]: p.inputs for p in mocks.of("aws:ssm/parameter:Parameter")}
    stored = parameters["/momentum/dev/momentum/FDC_API_KEY"]
    assert stored["type"] == "SecureString" and SECRET_SIG in stored["value"]
    function = mocks.one("aws:lambda/function:Function").inputs
    assert FDC_KEY not in json.dumps(function, default=str)
    variables = function["environment"]["variables"]
    assert "FDC_API_KEY=/momentum/dev/momentum/FDC_API_KEY" in variables["MOMENTUM_SSM_PARAMETERS"]
    with zipfile.ZipFile(tmp_path / ".momentum-build" / "momentum.zip") as archive:
        names, points = set(archive.namelist()), entry_points(archive)
    assert_carries_sleep_and_meals(names, points, "")
    assert not any(name.startswith("momentum/plugins/strava/") for name in names)


@pytest.mark.gcp
@pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_gcp.*")
def test_gcp_ships_sleep_and_meals_and_keeps_the_fdc_key_in_secret_manager(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pulumi_gcp", reason="pulumi-gcp is not installed")
    from momentum.infra import cloud
    from tests.infra.test_gcp_stack import PROJECT, REGION, deploy

    monkeypatch.chdir(tmp_path)
    config = {
        "momentum:cloud": "gcp",
        "momentum:region": REGION,
        "momentum:plugins": DOMAINS,
        "momentum:fdcApiKey": FDC_KEY,
    }
    pulumi.runtime.set_all_config(config, ["momentum:fdcApiKey"])
    try:
        mocks, _ = deploy(cloud.main)
    finally:
        pulumi.runtime.set_all_config({})
    function = mocks.one("cloudfunctionsv2/function:Function").inputs
    env = function["serviceConfig"]["environmentVariables"]
    names = dict(pair.split("=", 1) for pair in env["MOMENTUM_SECRETS"].split(","))
    assert names == {  # the FDC key, and the dashboard key the stack generates
        "FDC_API_KEY": f"projects/{PROJECT}/secrets/momentum-fdc-api-key",
        "MOMENTUM_DASHBOARD_KEY": f"projects/{PROJECT}/secrets/momentum-momentum-dashboard-key",
    }
    assert FDC_KEY not in json.dumps(function, default=str)
    secret_ids = {s.inputs["secretId"] for s in mocks.of("secretmanager/secret:Secret")}
    assert secret_ids == {"momentum-fdc-api-key", "momentum-momentum-dashboard-key"}
    source = mocks.one("storage/bucketObject:BucketObject").inputs["source"]
    with zipfile.ZipFile(source.path) as archive:
        listed, points = set(archive.namelist()), entry_points(archive)
        requirements = archive.read("requirements.txt").decode().split()
    assert_carries_sleep_and_meals(listed, points, "")
    assert {"defusedxml>=0.7", "httpx>=0.27"} <= set(requirements)


@pytest.mark.azure
def test_azure_ships_sleep_and_meals_and_keeps_the_fdc_key_in_key_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pulumi_azure_native", reason="pulumi-azure-native is not installed")
    from momentum.infra import cloud
    from momentum.infra.azure.component import SITE_PACKAGES
    from tests.infra.test_azure_stack import Mocks

    monkeypatch.chdir(tmp_path)
    config = {
        "momentum:cloud": "azure",
        "momentum:location": "westeurope",
        "momentum:plugins": DOMAINS,
        "momentum:requirements": "[]",
        "momentum:fdcApiKey": FDC_KEY,
    }
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, project="momentum", stack="test", preview=False)
    pulumi.runtime.set_all_config(config, ["momentum:fdcApiKey"])
    try:
        pulumi.runtime.test(cloud.main)()
    finally:
        pulumi.runtime.set_all_config({})
    [app] = mocks.of("web:WebApp")
    settings = {s["name"]: s["value"] for s in app.inputs["siteConfig"]["appSettings"]}
    assert settings["FDC_API_KEY"].startswith("@Microsoft.KeyVault(SecretUri=https://")
    assert settings["FDC_API_KEY"].endswith("/secrets/fdc-api-key)")
    assert FDC_KEY not in json.dumps(app.inputs, default=str)
    secret_names = {s.inputs["secretName"] for s in mocks.of("keyvault:Secret")}
    assert secret_names == {"fdc-api-key", "momentum-dashboard-key"}  # + the generated key
    [blob] = [b for b in mocks.of("storage:Blob") if b.name.endswith("-package")]
    with zipfile.ZipFile(blob.inputs["source"].path) as archive:
        names = set(archive.namelist())
        points = entry_points(archive)
    assert_carries_sleep_and_meals(names, points, "")
    assert SITE_PACKAGES  # third-party packages go there; none here (requirements [])


@pytest.mark.cloudflare
def test_cloudflare_takes_sleep_and_meals_and_binds_the_fdc_key_as_a_secret(
    tmp_path: Path,
) -> None:
    pytest.importorskip("pulumi_cloudflare", reason="pulumi-cloudflare is not installed")
    from momentum.infra import cloud
    from momentum.infra.cloudflare.program import worker_plugins_from
    from tests.infra.test_cloudflare_stack import (
        ACCOUNT,
        SECRET_SIG,
        Mocks,
        bindings_of,
        fake_package,
        text_of,
    )

    config = {
        "momentum:cloud": "cloudflare",
        "momentum:accountId": ACCOUNT,
        "momentum:workersSubdomain": "ada",
        "momentum:packageDir": str(fake_package(tmp_path)),
        "momentum:plugins": DOMAINS,
        "momentum:fdcApiKey": FDC_KEY,
    }
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, project="momentum", stack="test", preview=False)
    pulumi.runtime.set_all_config(config, ["momentum:fdcApiKey"])
    try:
        pulumi.runtime.test(cloud.main)()
        assert worker_plugins_from(pulumi.Config("momentum")) == ("running", "sleep", "meals")
    finally:
        pulumi.runtime.set_all_config({})
    [script] = mocks.of("WorkersScript")
    assert SECRET_SIG in script.inputs["bindings"]
    bindings = {b["name"]: b for b in bindings_of(script)}
    assert bindings["FDC_API_KEY"]["type"] == "secret_text"
    assert text_of(bindings["FDC_API_KEY"]) == FDC_KEY
    plain = [b for b in bindings_of(script) if b["type"] == "plain_text"]
    assert FDC_KEY not in json.dumps(plain)


@pytest.mark.cloudflare
def test_a_worker_refuses_a_plugin_it_cannot_carry_yet_by_name() -> None:
    pytest.importorskip("pulumi_cloudflare", reason="pulumi-cloudflare is not installed")
    from momentum.infra.cloudflare.program import worker_plugins_from

    config: Any = type("Config", (), {"get_object": lambda self, key: ["running", "files"]})()
    with pytest.raises(ValueError, match=r"unknown plugin 'files' \(built in here: running, "):
        worker_plugins_from(config)


@pytest.mark.parametrize("table", ["[meals]", "[plugins.meals]"])
def test_a_shipped_config_holding_the_fdc_key_in_plain_text_is_refused(
    tmp_path: Path, table: str
) -> None:
    from momentum.adapters.cloudflare.package import stage
    from momentum.infra.aws.bundle import BundleSpec, build_bundle

    config = tmp_path / "coach" / "momentum.toml"
    config.parent.mkdir()
    config.write_text(f'{table}\nfdc_url = "https://fdc.example"\nfdc_api_key = "{FDC_KEY}"\n')
    refused = r"momentum\.toml: \[meals\] fdc_api_key would ship as plain text"
    spec = BundleSpec(REPO, plugins=("meals",), requirements=(), config_file=config)
    with pytest.raises(ValueError, match=refused):
        build_bundle(spec, tmp_path / "bundle.zip")
    with pytest.raises(ValueError, match=refused):
        stage(tmp_path / "worker", ("meals",), config_file=config)
    assert not (tmp_path / "bundle.zip").exists() and not (tmp_path / "worker").exists()
    config.write_text(f'{table}\nfdc_url = "https://fdc.example"\n')  # the URL is fine
    assert build_bundle(spec, tmp_path / "bundle.zip").size > 0
