"""Local stand-ins for testing a coach on GCP without an account, shipped for users' tests
(never bundled into the function): the Firestore emulator, a Cloud Storage emulator, a
loopback Cloud Tasks API that delivers with OIDC tokens, and a local OIDC issuer."""
