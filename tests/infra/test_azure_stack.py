"""The Azure stack under ``pulumi.runtime.set_mocks`` (no Pulumi CLI, no subscription):
role assignments scoped to the coach's own storage account and vault, no public access,
and secrets reaching the app only as Key Vault references."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

import pytest

pulumi = pytest.importorskip("pulumi")
pytest.importorskip("pulumi_azure_native", reason="pulumi-azure-native is not installed")

from momentum.infra.azure import roles  # noqa: E402
from momentum.infra.azure.component import MomentumAzure, MomentumAzureArgs  # noqa: E402

pytestmark = pytest.mark.azure
SUBSCRIPTION = "00000000-1111-2222-3333-444444444444"
TENANT = "99999999-8888-7777-6666-555555555555"
SECRET_VALUES = {"SLACK_BOT_TOKEN": "xoxb-test-value-2", "GROQ_API_KEY": "gsk_test_value_1"}


@dataclass
class Resource:
    typ: str
    name: str
    inputs: dict[str, Any]


@dataclass
class Mocks(pulumi.runtime.Mocks):  # type: ignore[misc]
    """Echo inputs as state, with made-up Azure ids and the outputs the stack reads."""

    resources: list[Resource] = field(default_factory=list)

    def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
        state = dict(args.inputs)
        rid = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg/providers/{args.typ}/{args.name}"
        state.setdefault("name", args.name)
        if args.typ == "azure-native:web:WebApp":
            state["defaultHostName"] = f"{args.name}.azurewebsites.net"
            state["identity"] = {"type": "SystemAssigned", "principalId": "app-principal"}
        if args.typ == "azure-native:keyvault:Secret":
            state["name"] = args.inputs["secretName"]
        if args.typ == "azure-native:applicationinsights:Component":
            state["connectionString"] = "InstrumentationKey=mock"
        self.resources.append(Resource(args.typ, args.name, dict(args.inputs)))
        return rid, state

    def call(self, args: Any) -> dict[str, Any]:
        if args.token == "azure-native:authorization:getClientConfig":
            return {
                "subscriptionId": SUBSCRIPTION,
                "tenantId": TENANT,
                "clientId": "c",
                "objectId": "o",
            }
        return {}

    def of(self, typ: str) -> list[Resource]:
        return [r for r in self.resources if r.typ == f"azure-native:{typ}"]


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Mocks, dict[str, Any]]:
    package = tmp_path_factory.mktemp("bundle") / "prebuilt.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("function_app.py", "app = None\n")
    mocks = Mocks()
    pulumi.runtime.set_mocks(mocks, project="momentum", stack="test", preview=False)
    outputs: dict[str, Any] = {}

    @pulumi.runtime.test  # type: ignore[misc]
    def program() -> Any:
        coach = MomentumAzure(
            "coach",
            MomentumAzureArgs(
                bundle_path=str(package),
                secrets=dict(SECRET_VALUES),
                environment={"STRAVA_CLIENT_ID": "4242"},
            ),
        )
        return pulumi.Output.all(
            slack=coach.slack_events_url, strava=coach.strava_webhook_url
        ).apply(outputs.update)

    program()
    return mocks, outputs


def test_the_stack_outputs_the_slack_and_strava_urls(
    deployed: tuple[Mocks, dict[str, Any]],
) -> None:
    _, outputs = deployed
    assert outputs == {
        "slack": "https://coach-app.azurewebsites.net/slack/events",
        "strava": "https://coach-app.azurewebsites.net/strava/webhook",
    }


def test_storage_has_no_public_access_and_tls_1_2(deployed: tuple[Mocks, dict[str, Any]]) -> None:
    mocks, _ = deployed
    [account] = mocks.of("storage:StorageAccount")
    assert account.inputs["allowBlobPublicAccess"] is False
    assert account.inputs["minimumTlsVersion"] == "TLS1_2"
    assert account.inputs["enableHttpsTrafficOnly"] is True
    containers = mocks.of("storage:BlobContainer")
    assert {c.inputs["containerName"] for c in containers} == {"momentum", "deployments"}
    assert all(c.inputs["publicAccess"] == "None" for c in containers)
    assert {q.inputs["queueName"] for q in mocks.of("storage:Queue")} == {
        "momentum-deferred",
        "momentum-deferred-poison",
    }
    assert [t.inputs["tableName"] for t in mocks.of("storage:Table")] == ["momentum"]


def test_roles_are_scoped_to_the_coachs_account_and_vault_only(
    deployed: tuple[Mocks, dict[str, Any]],
) -> None:
    mocks, _ = deployed
    [account] = mocks.of("storage:StorageAccount")
    [vault] = mocks.of("keyvault:Vault")
    providers = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg/providers/azure-native"
    account_id = f"{providers}:storage:StorageAccount/{account.name}"
    vault_id = f"{providers}:keyvault:Vault/{vault.name}"
    granted = {
        (a.inputs["roleDefinitionId"].rsplit("/", 1)[1], a.inputs["scope"])
        for a in mocks.of("authorization:RoleAssignment")
    }
    assert granted == {
        (roles.STORAGE_TABLE_DATA_CONTRIBUTOR, account_id),
        (roles.STORAGE_QUEUE_DATA_CONTRIBUTOR, account_id),
        (roles.STORAGE_BLOB_DATA_CONTRIBUTOR, account_id),
        (roles.KEY_VAULT_SECRETS_USER, vault_id),
    }
    for assignment in mocks.of("authorization:RoleAssignment"):
        assert assignment.inputs["principalId"] == "app-principal"
        assert assignment.inputs["roleDefinitionId"].startswith(f"/subscriptions/{SUBSCRIPTION}/")
    assert vault.inputs["properties"]["enableRbacAuthorization"] is True
    assert vault.inputs["properties"]["tenantId"] == TENANT


def test_secrets_reach_the_app_only_as_key_vault_references(
    deployed: tuple[Mocks, dict[str, Any]],
) -> None:
    mocks, _ = deployed
    [app] = mocks.of("web:WebApp")
    settings = {s["name"]: s["value"] for s in app.inputs["siteConfig"]["appSettings"]}
    for name in SECRET_VALUES:
        secret = name.lower().replace("_", "-")
        assert settings[name] == (
            f"@Microsoft.KeyVault(SecretUri=https://coach-kv.vault.azure.net/secrets/{secret})"
        )
    dumped = json.dumps(app.inputs)
    assert not any(value in dumped for value in SECRET_VALUES.values())
    stored = {s.inputs["secretName"] for s in mocks.of("keyvault:Secret")}
    assert stored == {"slack-bot-token", "groq-api-key"}
    assert settings["STRAVA_CLIENT_ID"] == "4242"
    assert settings["AzureWebJobsStorage__accountName"] == settings["MOMENTUM_STORAGE_ACCOUNT"]
    assert app.inputs["identity"]["type"] == "SystemAssigned"
    assert app.inputs["kind"] == "functionapp,linux" and app.inputs["httpsOnly"] is True
    [plan] = mocks.of("web:AppServicePlan")
    assert plan.inputs["sku"] == {"name": "FC1", "tier": "FlexConsumption"}
    runtime = app.inputs["functionAppConfig"]["runtime"]
    assert runtime == {"name": "python", "version": "3.11"}
