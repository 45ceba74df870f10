"""Pulumi infrastructure for Momentum on AWS: :class:`momentum.infra.aws.component.MomentumAws`,
the bundle builder (:mod:`momentum.infra.aws.bundle`) and the stack program
(:mod:`momentum.infra.aws.program`, run by ``__main__.py`` beside ``Pulumi.yaml``)."""

STACK_CONFIG = {"aws:region": "us-east-1"}
"""Provider config a new coach's ``Pulumi.dev.yaml`` starts with (``momentum new``)."""
ACCOUNT_ID = "123456789012"
MOCK_OUTPUTS = {
    "*": {"arn": "arn:aws:mock:us-east-1:" + ACCOUNT_ID + ":{name}"},
    "aws:s3/bucket:Bucket": {"bucket": "{name}-physical"},
    "aws:s3/bucketV2:BucketV2": {"bucket": "{name}-physical"},
    "aws:lambda/functionUrl:FunctionUrl": {"functionUrl": "https://{name}.lambda-url.on.aws/"},
    "aws:scheduler/scheduleGroup:ScheduleGroup": {
        "arn": "arn:aws:scheduler:us-east-1:" + ACCOUNT_ID + ":schedule-group/{name}"
    },
    "aws:iam/role:Role": {"arn": "arn:aws:iam::" + ACCOUNT_ID + ":role/{name}"},
    "aws:sqs/queue:Queue": {"url": "https://sqs.us-east-1.amazonaws.com/" + ACCOUNT_ID + "/{name}"},
}
"""What resources report back under Pulumi's mocks (:mod:`momentum.infra.testing`)."""
MOCK_CALLS = {
    "aws:index/getCallerIdentity:getCallerIdentity": {
        "accountId": ACCOUNT_ID,
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/deployer",
        "userId": "AIDAEXAMPLE",
        "id": ACCOUNT_ID,
    }
}
"""What provider calls answer under Pulumi's mocks."""
