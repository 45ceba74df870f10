"""Azure built-in role definitions the function app's identity is granted (their fixed ids,
the same in every tenant; see Azure's "built-in roles" reference)."""

from __future__ import annotations

STORAGE_TABLE_DATA_CONTRIBUTOR = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"
STORAGE_QUEUE_DATA_CONTRIBUTOR = "974c5e8b-45b9-4653-ba55-5f855dd0fb88"
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"

STORAGE_ROLES = {
    "tables": STORAGE_TABLE_DATA_CONTRIBUTOR,
    "queues": STORAGE_QUEUE_DATA_CONTRIBUTOR,
    "blobs": STORAGE_BLOB_DATA_CONTRIBUTOR,
}
"""Granted on the storage account only."""
VAULT_ROLES = {"secrets": KEY_VAULT_SECRETS_USER}
"""Granted on the Key Vault only."""


def definition_id(subscription_id: str, role: str) -> str:
    """The role definition's resource id in a subscription."""
    return (
        f"/subscriptions/{subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{role}"
    )
