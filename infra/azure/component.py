"""The Azure stack as one Pulumi ComponentResource (pulumi-azure-native):

- a resource group; a storage account (TLS 1.2, HTTPS only, no public blob access) with
  the table, the deferred-work queue and its poison queue, the data container and the
  deployment container;
- a Linux Function App on the Flex Consumption plan (Python 3.11) with Application
  Insights on a Log Analytics workspace, deployed from the bundle uploaded to the
  deployment container;
- a Key Vault (RBAC) holding the secrets; app settings refer to them as
  ``@Microsoft.KeyVault(SecretUri=...)``, so no secret is an app setting's value;
- the app's system-assigned identity, granted Storage Table/Queue/Blob Data Contributor
  on that storage account and Key Vault Secrets User on that vault, nothing wider.

When Teams is the chat (``chat = "teams"`` and ``TEAMS_APP_ID`` among the settings), an
Azure Bot resource (single tenant, free tier) points its messaging endpoint at the app's
``/api/messages`` and has the Microsoft Teams channel enabled.

The stack builds the bundle (``momentum.infra.aws.bundle`` with ``cloud="azure"``) and
exports the Slack, Teams and Strava URLs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi

from momentum.infra.aws.bundle import BundleSpec, build_bundle
from momentum.infra.azure import roles

REPO = Path(__file__).resolve().parents[2]
SITE_PACKAGES = ".python_packages/lib/site-packages"
FUNCTION_APP_PY = "from momentum.adapters.azure.function_app import app  # noqa: F401\n"
TABLE, CONTAINER, QUEUE = "momentum", "momentum", "momentum-deferred"


@dataclass
class MomentumAzureArgs:
    """What to deploy."""

    bundle: BundleSpec | None = None
    """What to build; ``None`` with ``bundle_path`` uses a prebuilt zip."""
    bundle_path: str | None = None
    secrets: Mapping[str, pulumi.Input[str]] = field(default_factory=dict)
    """Setting name → value, stored in Key Vault (``SLACK_BOT_TOKEN``...)."""
    environment: Mapping[str, str] = field(default_factory=dict)
    """Plain app settings."""
    location: str | None = None
    max_instances: int = 40
    instance_memory_mb: int = 2048
    build_dir: Path = field(default_factory=lambda: REPO / ".build")


def azure_bundle(spec: BundleSpec) -> BundleSpec:
    """``spec`` laid out for Azure Functions: the Azure adapter, packages under
    ``.python_packages``, ``function_app.py`` and ``host.json`` at the root, x86-64 3.11."""
    host = (REPO / "adapters" / "azure" / "host.json").read_text(encoding="utf-8")
    return BundleSpec(
        **{
            **spec.__dict__,
            "cloud": "azure",
            "site_packages": SITE_PACKAGES,
            "root_files": {"function_app.py": FUNCTION_APP_PY, "host.json": host},
            "platform": "manylinux2014_x86_64",
            "python_version": "3.11",
            # The package is mounted read-only: without shipped bytecode every cold start
            # compiles the Azure SDKs from source (seconds; benchmarks/cold_start.py).
            "compile_bytecode": True,
        }
    )


def key_vault_reference(secret_uri: pulumi.Input[str]) -> pulumi.Output[str]:
    """The app-setting value the Functions host resolves from Key Vault."""
    return pulumi.Output.concat("@Microsoft.KeyVault(SecretUri=", secret_uri, ")")


def vault_secret_name(setting: str) -> str:
    """``SLACK_BOT_TOKEN`` → ``slack-bot-token`` (Key Vault names: letters, digits, -)."""
    return setting.lower().replace("_", "-")


class MomentumAzure(pulumi.ComponentResource):
    """A Momentum coach on Azure Functions, Table/Queue/Blob Storage and Key Vault."""

    def __init__(
        self, name: str, args: MomentumAzureArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("momentum:azure:Coach", name, None, opts)
        from pulumi_azure_native import authorization, resources

        child = pulumi.ResourceOptions(parent=self)
        client = authorization.get_client_config_output()
        self.group = resources.ResourceGroup(f"{name}-rg", location=args.location, opts=child)
        self._storage(name, child)
        self._monitoring(name, child)
        self._vault(name, args, client, child)
        self._function_app(name, args, child)
        self._grants(name, client, child)
        host = self.app.default_host_name
        self.teams_messages_url = pulumi.Output.concat("https://", host, "/api/messages")
        self.bot = self._teams_bot(name, args, client, child)
        self.slack_events_url = pulumi.Output.concat("https://", host, "/slack/events")
        self.strava_webhook_url = pulumi.Output.concat("https://", host, "/strava/webhook")
        self.register_outputs(
            {"slackEventsUrl": self.slack_events_url, "stravaWebhookUrl": self.strava_webhook_url}
        )

    def _teams_bot(
        self, name: str, args: MomentumAzureArgs, client: Any, child: pulumi.ResourceOptions
    ) -> Any:
        """The Azure Bot for Teams (``None`` unless Teams is the chat and has an app id)."""
        app_id = args.environment.get("TEAMS_APP_ID", "")
        chat = args.bundle.chat if args.bundle is not None else ""
        if "teams" not in (chat, args.environment.get("MOMENTUM_CHAT")) or not app_id:
            return None
        from pulumi_azure_native import botservice

        tenant = args.environment.get("TEAMS_TENANT_ID") or client.tenant_id
        bot = botservice.Bot(
            f"{name}-bot",
            resource_group_name=self.group.name,
            location="global",
            kind=botservice.Kind.AZUREBOT,
            sku=botservice.SkuArgs(name=botservice.SkuName.F0),
            properties=botservice.BotPropertiesArgs(
                display_name="Momentum",
                endpoint=self.teams_messages_url,
                msa_app_id=app_id,
                msa_app_type=botservice.MsaAppType.SINGLE_TENANT,
                msa_app_tenant_id=tenant,
            ),
            opts=child,
        )
        botservice.Channel(
            f"{name}-teams",
            resource_group_name=self.group.name,
            resource_name_=bot.name,
            channel_name="MsTeamsChannel",
            location="global",
            properties=botservice.MsTeamsChannelArgs(
                channel_name="MsTeamsChannel",
                properties=botservice.MsTeamsChannelPropertiesArgs(is_enabled=True),
            ),
            opts=child,
        )
        return bot

    def _storage(self, name: str, child: pulumi.ResourceOptions) -> None:
        from pulumi_azure_native import storage

        group = self.group.name
        self.account = storage.StorageAccount(
            f"{name}sa",
            resource_group_name=group,
            kind=storage.Kind.STORAGE_V2,
            sku=storage.SkuArgs(name=storage.SkuName.STANDARD_LRS),
            allow_blob_public_access=False,
            minimum_tls_version=storage.MinimumTlsVersion.TLS1_2,
            enable_https_traffic_only=True,
            opts=child,
        )
        account = self.account.name
        self.table = storage.Table(
            f"{name}-table",
            resource_group_name=group,
            account_name=account,
            table_name=TABLE,
            opts=child,
        )
        self.queues = [
            storage.Queue(
                f"{name}-{queue}",
                resource_group_name=group,
                account_name=account,
                queue_name=queue,
                opts=child,
            )
            for queue in (QUEUE, f"{QUEUE}-poison")
        ]
        self.containers = {
            purpose: storage.BlobContainer(
                f"{name}-{purpose}",
                resource_group_name=group,
                account_name=account,
                container_name=container,
                public_access=storage.PublicAccess.NONE,
                opts=child,
            )
            for purpose, container in (("data", CONTAINER), ("deployments", "deployments"))
        }

    def _monitoring(self, name: str, child: pulumi.ResourceOptions) -> None:
        from pulumi_azure_native import applicationinsights, operationalinsights

        workspace = operationalinsights.Workspace(
            f"{name}-logs",
            resource_group_name=self.group.name,
            sku=operationalinsights.WorkspaceSkuArgs(name="PerGB2018"),
            retention_in_days=30,
            opts=child,
        )
        self.insights = applicationinsights.Component(
            f"{name}-insights",
            resource_group_name=self.group.name,
            kind="web",
            application_type=applicationinsights.ApplicationType.WEB,
            workspace_resource_id=workspace.id,
            opts=child,
        )

    def _vault(
        self, name: str, args: MomentumAzureArgs, client: Any, child: pulumi.ResourceOptions
    ) -> None:
        from pulumi_azure_native import keyvault

        self.vault = keyvault.Vault(
            f"{name}-kv",
            resource_group_name=self.group.name,
            properties=keyvault.VaultPropertiesArgs(
                tenant_id=client.tenant_id,
                sku=keyvault.SkuArgs(family=keyvault.SkuFamily.A, name=keyvault.SkuName.STANDARD),
                enable_rbac_authorization=True,
                enable_soft_delete=True,
                soft_delete_retention_in_days=7,
            ),
            opts=child,
        )
        self.secrets = {
            setting: keyvault.Secret(
                f"{name}-{vault_secret_name(setting)}",
                resource_group_name=self.group.name,
                vault_name=self.vault.name,
                secret_name=vault_secret_name(setting),
                properties=keyvault.SecretPropertiesArgs(value=pulumi.Output.secret(value)),
                opts=child,
            )
            for setting, value in sorted(args.secrets.items())
        }

    def _package(self, name: str, args: MomentumAzureArgs, child: pulumi.ResourceOptions) -> Any:
        from pulumi_azure_native import storage

        if args.bundle_path:
            path = args.bundle_path
        elif args.bundle is not None:
            path = str(
                build_bundle(azure_bundle(args.bundle), args.build_dir / f"{name}-azure.zip").path
            )
        else:
            raise ValueError("give either bundle (what to build) or bundle_path (a built zip)")
        return storage.Blob(
            f"{name}-package",
            resource_group_name=self.group.name,
            account_name=self.account.name,
            container_name=self.containers["deployments"].name,
            blob_name="released-package.zip",
            type=storage.BlobType.BLOCK,
            source=pulumi.FileAsset(path),
            opts=child,
        )

    def app_settings(self, args: MomentumAzureArgs) -> list[Any]:
        """Plain settings, the storage account (identity-based), and Key Vault references."""
        from pulumi_azure_native import web

        plain: dict[str, pulumi.Input[str]] = {
            "AzureWebJobsStorage__accountName": self.account.name,
            "MOMENTUM_STORAGE_ACCOUNT": self.account.name,
            "MOMENTUM_TABLE": TABLE,
            "MOMENTUM_CONTAINER": CONTAINER,
            "MOMENTUM_QUEUE": QUEUE,
            "APPLICATIONINSIGHTS_CONNECTION_STRING": self.insights.connection_string,
            **dict(args.environment),
        }
        for setting, secret in self.secrets.items():
            uri = pulumi.Output.concat(
                "https://", self.vault.name, ".vault.azure.net/secrets/", secret.name
            )
            plain[setting] = key_vault_reference(uri)
        return [
            web.NameValuePairArgs(name=key, value=value) for key, value in sorted(plain.items())
        ]

    def _function_app(
        self, name: str, args: MomentumAzureArgs, child: pulumi.ResourceOptions
    ) -> None:
        from pulumi_azure_native import web

        self.package = self._package(name, args, child)
        self.plan = web.AppServicePlan(
            f"{name}-plan",
            resource_group_name=self.group.name,
            kind="functionapp",
            reserved=True,
            sku=web.SkuDescriptionArgs(name="FC1", tier="FlexConsumption"),
            opts=child,
        )
        container_url = pulumi.Output.concat(
            "https://",
            self.account.name,
            ".blob.core.windows.net/",
            self.containers["deployments"].name,
        )
        self.app = web.WebApp(
            f"{name}-app",
            resource_group_name=self.group.name,
            kind="functionapp,linux",
            server_farm_id=self.plan.id,
            https_only=True,
            identity=web.ManagedServiceIdentityArgs(
                type=web.ManagedServiceIdentityType.SYSTEM_ASSIGNED
            ),
            function_app_config=web.FunctionAppConfigArgs(
                deployment=web.FunctionsDeploymentArgs(
                    storage=web.FunctionsDeploymentStorageArgs(
                        type="blobContainer",
                        value=container_url,
                        authentication=web.FunctionsDeploymentStorageAuthenticationArgs(
                            type="SystemAssignedIdentity"
                        ),
                    )
                ),
                runtime=web.FunctionsRuntimeArgs(name="python", version="3.11"),
                scale_and_concurrency=web.FunctionsScaleAndConcurrencyArgs(
                    maximum_instance_count=args.max_instances,
                    instance_memory_mb=args.instance_memory_mb,
                ),
            ),
            site_config=web.SiteConfigArgs(
                app_settings=self.app_settings(args), min_tls_version="1.2"
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.package]),
        )

    def _grants(self, name: str, client: Any, child: pulumi.ResourceOptions) -> None:
        from pulumi_azure_native import authorization

        principal = self.app.identity.apply(lambda identity: identity.principal_id)
        self.grants = []
        for scope, granted in (
            (self.account.id, roles.STORAGE_ROLES),
            (self.vault.id, roles.VAULT_ROLES),
        ):
            for purpose, role in granted.items():
                self.grants.append(
                    authorization.RoleAssignment(
                        f"{name}-{purpose}",
                        principal_id=principal,
                        principal_type=authorization.PrincipalType.SERVICE_PRINCIPAL,
                        role_definition_id=client.subscription_id.apply(
                            lambda sub, role=role: roles.definition_id(sub, role)
                        ),
                        scope=scope,
                        opts=child,
                    )
                )
