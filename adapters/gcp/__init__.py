"""GCP adapter: the ports on Google Cloud.

Built: Storage on Firestore (:mod:`.firestore_storage`, streams in the Blob port), Blob on
Cloud Storage (:mod:`.gcs_blob`), Deferral on Cloud Tasks with OIDC (:mod:`.cloud_tasks`),
and the OIDC check for Cloud Tasks and Cloud Scheduler requests (:mod:`.oidc`). Local
stand-ins for tests are in :mod:`.testing`.

Not yet: the functions-framework entry point (it waits for core's shared runtime,
``momentum.core.runtime.dispatch``) and the Pulumi component in ``infra/gcp``.
"""
