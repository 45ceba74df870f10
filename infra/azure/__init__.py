"""The Azure stack: :class:`~momentum.infra.azure.component.MomentumAzure`."""

STACK_CONFIG = {"azure-native:location": "westeurope"}
"""Provider config a new coach's ``Pulumi.dev.yaml`` starts with (``momentum new``)."""
MOCK_OUTPUTS = {
    "azure-native:web:WebApp": {
        "defaultHostName": "{name}.azurewebsites.net",
        "identity": {"type": "SystemAssigned", "principalId": "app-principal"},
    },
    "azure-native:applicationinsights:Component": {"connectionString": "InstrumentationKey=m"},
}
"""What resources report back under Pulumi's mocks (:mod:`momentum.infra.testing`)."""
MOCK_CALLS = {
    "azure-native:authorization:getClientConfig": {
        "subscriptionId": "00000000-0000-0000-0000-000000000000",
        "tenantId": "11111111-1111-1111-1111-111111111111",
        "clientId": "c",
        "objectId": "o",
    }
}
"""What provider calls answer under Pulumi's mocks."""
