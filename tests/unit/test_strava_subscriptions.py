"""Remembering the webhook subscription id in ``momentum.toml`` without disturbing the
rest of the file (comments, other tables, other keys)."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.core.config import load_settings
from momentum.plugins.strava.settings import strava_settings
from momentum.plugins.strava.subscriptions import remember

EXISTING = """# my coach
athlete_id = "adam"

[strava]  # keys from strava.com/settings/api
client_id = "4242"
verify_token = "tok"

[slack]
base_url = ""
"""


def test_a_new_file_gets_a_strava_table(tmp_path):
    path = remember(tmp_path, 1001)
    assert tomllib.loads(path.read_text()) == {"strava": {"subscription_id": "1001"}}
    assert strava_settings(load_settings(tmp_path, env={})).subscription_id == "1001"


def test_the_id_goes_into_the_existing_table_and_nothing_else_changes(tmp_path):
    (tmp_path / "momentum.toml").write_text(EXISTING)
    text = remember(tmp_path, 1001).read_text()
    assert tomllib.loads(text) == {
        "athlete_id": "adam",
        "strava": {"client_id": "4242", "verify_token": "tok", "subscription_id": "1001"},
        "slack": {"base_url": ""},
    }
    assert "# my coach" in text and "# keys from strava.com/settings/api" in text


def test_a_new_id_replaces_the_old_and_none_removes_it(tmp_path):
    (tmp_path / "momentum.toml").write_text(EXISTING)
    remember(tmp_path, 1001)
    remember(tmp_path, 2002)
    assert tomllib.loads((tmp_path / "momentum.toml").read_text())["strava"]["subscription_id"] == (
        "2002"
    )
    remember(tmp_path, None)
    assert (
        "subscription_id" not in tomllib.loads((tmp_path / "momentum.toml").read_text())["strava"]
    )


def test_a_file_without_a_strava_table_gets_one_at_the_end(tmp_path):
    (tmp_path / "momentum.toml").write_text('athlete_id = "adam"\n[slack]\nbase_url = ""\n')
    remember(tmp_path, 7)
    data = tomllib.loads((tmp_path / "momentum.toml").read_text())
    assert data["strava"] == {"subscription_id": "7"} and data["slack"] == {"base_url": ""}


def test_an_unparseable_result_is_not_written(tmp_path):
    from momentum.core.errors import ConfigError

    broken = '[strava]\nclient_id = "1"\n[strava.extra]\nx = 1\n[strava]\ny = 2\n'
    (tmp_path / "momentum.toml").write_text(broken)
    with pytest.raises(ConfigError, match="by hand"):
        remember(tmp_path, 5)
    assert (tmp_path / "momentum.toml").read_text() == broken


@given(
    st.integers(1, 10**12),
    st.dictionaries(
        st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True).filter(lambda k: k != "subscription_id"),
        st.text(alphabet=st.characters(codec="ascii", exclude_categories=("Cc",)), max_size=10),
        max_size=4,
    ),
)
def test_any_existing_strava_keys_survive(tmp_path_factory, sub_id, keys):
    home = tmp_path_factory.mktemp("home")
    lines = ["[strava]"] + [f"{k} = {tomllib_quote(v)}" for k, v in keys.items()]
    (home / "momentum.toml").write_text("\n".join(lines) + "\n")
    remember(home, sub_id)
    data = tomllib.loads((home / "momentum.toml").read_text())
    assert data["strava"] == {**keys, "subscription_id": str(sub_id)}


def tomllib_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
