"""The predefined IAM roles the coach's service accounts are granted, and where. Nothing
is granted project-wide except Firestore's data role, which has no narrower resource and is
held to the coach's own database by an IAM condition."""

from __future__ import annotations

FIRESTORE_USER = "roles/datastore.user"
OBJECT_ADMIN = "roles/storage.objectAdmin"
TASKS_ENQUEUER = "roles/cloudtasks.enqueuer"
SECRET_ACCESSOR = "roles/secretmanager.secretAccessor"
ACT_AS = "roles/iam.serviceAccountUser"
"""On the invoker account only: lets the function put that account's OIDC token on tasks."""
RUN_INVOKER = "roles/run.invoker"
"""On the function's Cloud Run service only."""

FORBIDDEN = ("roles/owner", "roles/editor", "roles/viewer")
"""Basic roles the stack never grants."""


def database_condition(project: str, database: str) -> dict[str, str]:
    """An IAM condition holding a project-level Firestore grant to one database."""
    return {
        "title": "momentum-database-only",
        "description": "Only the coach's Firestore database",
        "expression": f'resource.name == "projects/{project}/databases/{database}"',
    }
