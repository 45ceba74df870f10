"""GCP adapter: a coach on Cloud Run functions.

:mod:`.main` is the one HTTP entry point functions-framework serves (Slack, Strava and
plugin routes; the OIDC-verified Cloud Scheduler tick and Cloud Tasks deliveries), turning
each request into a core event for :func:`momentum.core.runtime.dispatch.dispatch`;
:mod:`.bootstrap` composes the app from the environment. The ports: Storage on Firestore
(:mod:`.firestore_storage`, streams in the Blob port), Blob on Cloud Storage
(:mod:`.gcs_blob`), Deferral on Cloud Tasks with OIDC (:mod:`.cloud_tasks`), Secrets on
Secret Manager (:mod:`.secret_manager`), and the OIDC check (:mod:`.oidc`). Local stand-ins
for tests are in :mod:`.testing`; the Pulumi component is ``momentum.infra.gcp``.
"""
