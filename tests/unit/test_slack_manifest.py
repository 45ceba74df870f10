"""``momentum slack manifest``: exactly the scopes the coach uses, both delivery modes,
and YAML that says the same as the JSON."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from momentum.adapters.local.commands import slack_cmds
from momentum.adapters.slack.manifest import BOT_SCOPES, build_manifest, to_json, to_yaml

EXPECTED_SCOPES = {"app_mentions:read", "chat:write", "commands", "im:history", "im:write"}


def test_the_bot_asks_for_exactly_the_scopes_it_uses():
    manifest = build_manifest(url="https://coach.example.com")
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == EXPECTED_SCOPES
    assert "user" not in manifest["oauth_config"]["scopes"]  # no user token
    # no channel history or user directory: athlete data only ever goes by DM
    assert not {"channels:history", "users:read", "im:read"} & set(BOT_SCOPES)


def test_http_mode_points_events_commands_and_buttons_at_slack_events():
    manifest = build_manifest(url="https://coach.example.com/")
    endpoint = "https://coach.example.com/slack/events"
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is False
    assert settings["event_subscriptions"] == {
        "request_url": endpoint,
        "bot_events": ["app_mention", "message.im"],
    }
    assert settings["interactivity"] == {"is_enabled": True, "request_url": endpoint}
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/momentum" and command["url"] == endpoint
    assert command["usage_hint"] == "plan | week | usage | help"
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True


def test_socket_mode_has_no_request_urls():
    manifest = build_manifest()
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in json.dumps(manifest)
    assert "url" not in manifest["features"]["slash_commands"][0]


def test_http_mode_needs_a_url():
    with pytest.raises(ValueError, match="public URL"):
        build_manifest(socket_mode=False)


@pytest.mark.parametrize("url", [None, "https://coach.example.com"])
def test_yaml_says_what_the_json_says_and_justifies_each_scope(url):
    yaml = pytest.importorskip("yaml")
    manifest = build_manifest(url=url, name="Momentum: Adam's coach")
    text = to_yaml(manifest)
    assert yaml.safe_load(text) == manifest == json.loads(to_json(manifest))
    for scope, reason in BOT_SCOPES.items():
        assert f'- "{scope}"  # {reason}' in text


def test_the_bot_display_name_is_slack_safe():
    manifest = build_manifest(name="Momentum: Adam's Coach")
    assert manifest["features"]["bot_user"]["display_name"] == "momentum--adam-s-coach"


def _cli() -> typer.Typer:
    root = typer.Typer()

    @root.callback()
    def _root() -> None:
        """Momentum."""

    slack_cmds.register(root)
    return root


def test_the_cli_prints_json_or_yaml():
    runner = CliRunner()
    result = runner.invoke(_cli(), ["slack", "manifest", "--url", "https://c.example", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == build_manifest(url="https://c.example")
    yaml_out = runner.invoke(_cli(), ["slack", "manifest"])
    assert yaml_out.exit_code == 0
    assert "socket_mode_enabled: true" in yaml_out.output
    assert "connections:write" in yaml_out.output  # what the app-level token needs
    http_without_url = runner.invoke(_cli(), ["slack", "manifest", "--http"])
    assert http_without_url.exit_code == 2
