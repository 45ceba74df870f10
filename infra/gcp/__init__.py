"""The GCP stack: :class:`~momentum.infra.gcp.component.MomentumGcp` (pulumi-gcp)."""

STACK_CONFIG = {"gcp:project": "my-gcp-project", "gcp:region": "europe-west1"}
"""Provider config a new coach's ``Pulumi.dev.yaml`` starts with (``momentum new``)."""
MOCK_OUTPUTS = {
    "gcp:serviceaccount/account:Account": {
        "email": "{name}@my-gcp-project.iam.gserviceaccount.com"
    },
    "gcp:cloudfunctionsv2/function:Function": {
        "serviceConfig": {"service": "{name}", "uri": "https://{name}.a.run.app"},
        "url": "https://{name}.a.run.app",
    },
    "gcp:storage/bucketObject:BucketObject": {"generation": 1},
}
"""What resources report back under Pulumi's mocks (:mod:`momentum.infra.testing`)."""
MOCK_CALLS = {
    "gcp:organizations/getProject:getProject": {
        "projectId": "my-gcp-project",
        "number": "123456789",
        "name": "my-gcp-project",
    }
}
"""What provider calls answer under Pulumi's mocks."""
