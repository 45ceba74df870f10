"""The Azure stack with Teams as its chat, under ``pulumi.runtime.set_mocks``: an Azure Bot
(single tenant, free tier) whose messaging endpoint is the app's ``/api/messages``, with
the Teams channel on; and no bot at all when Slack is the chat."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

pulumi = pytest.importorskip("pulumi")
pytest.importorskip("pulumi_azure_native", reason="pulumi-azure-native is not installed")

from momentum.infra.azure.component import MomentumAzure, MomentumAzureArgs  # noqa: E402
from tests.infra.test_azure_stack import Mocks  # noqa: E402

pytestmark = [pytest.mark.azure, pytest.mark.teams]
APP_ID = "6f1b6a52-0d5e-4c5e-9b8e-5b0c0ffee001"
TENANT = "7a2c1d43-5f6e-4a8b-9c0d-1e2f3a4b5c6d"


def deploy(package: Path, environment: dict[str, str]) -> tuple[Mocks, dict[str, Any]]:
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, project="momentum", stack="teams", preview=False)
    outputs: dict[str, Any] = {}

    @pulumi.runtime.test  # type: ignore[misc]
    def program() -> Any:
        coach = MomentumAzure(
            "coach",
            MomentumAzureArgs(
                bundle_path=str(package),
                secrets={"TEAMS_APP_PASSWORD": "teams-secret-value"},
                environment=environment,
            ),
        )
        return pulumi.Output.all(teams=coach.teams_messages_url).apply(outputs.update)

    program()
    return mocks, outputs


@pytest.fixture
def package(tmp_path: Path) -> Path:
    path = tmp_path / "prebuilt.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("function_app.py", "app = None\n")
    return path


def test_teams_gets_an_azure_bot_pointed_at_api_messages(package: Path) -> None:
    environment = {"MOMENTUM_CHAT": "teams", "TEAMS_APP_ID": APP_ID, "TEAMS_TENANT_ID": TENANT}
    mocks, outputs = deploy(package, environment)
    assert outputs["teams"] == "https://coach-app.azurewebsites.net/api/messages"
    [bot] = mocks.of("botservice:Bot")
    assert bot.inputs["kind"] == "azurebot" and bot.inputs["sku"] == {"name": "F0"}
    properties = bot.inputs["properties"]
    assert properties["endpoint"] == outputs["teams"]
    assert properties["msaAppId"] == APP_ID
    assert properties["msaAppType"] == "SingleTenant" and properties["msaAppTenantId"] == TENANT
    [channel] = mocks.of("botservice:Channel")
    assert channel.inputs["channelName"] == "MsTeamsChannel"
    assert channel.inputs["properties"]["properties"]["isEnabled"] is True
    [app] = mocks.of("web:WebApp")
    settings = {s["name"]: s["value"] for s in app.inputs["siteConfig"]["appSettings"]}
    assert settings["MOMENTUM_CHAT"] == "teams" and settings["TEAMS_APP_ID"] == APP_ID
    assert settings["TEAMS_APP_PASSWORD"].startswith("@Microsoft.KeyVault(")


def test_slack_gets_no_bot(package: Path) -> None:
    mocks, _ = deploy(package, {"MOMENTUM_CHAT": "slack", "TEAMS_APP_ID": APP_ID})
    assert mocks.of("botservice:Bot") == [] and mocks.of("botservice:Channel") == []
