"""Local stand-ins for testing the AWS target without an account (test support: not in the
wheel, never bundled into the Lambda function).

- :class:`MotoServer` / :func:`shared_moto_endpoint`: moto server on loopback (DynamoDB, S3,
  SSM, Secrets Manager on the real wire protocol);
- :class:`FakeLambdaServer`: Lambda's Invoke API on loopback running the handler in-process
  (moto runs no Lambda code; this is the one stand-in for a real call);
- :class:`LocalAws` / :func:`dynamodb_storage`: the stack's table, bucket and parameters;
- :func:`function_url_event`, :func:`s3_object_created_event`, :func:`scheduler_input`:
  events as AWS delivers them.
"""

from tests.support.aws.fake_lambda import FakeLambdaServer, Invocation, LambdaContext
from tests.support.aws.moto import (
    ACCOUNT,
    REGION,
    MotoServer,
    apply_environment,
    aws_environment,
    boto_client,
    environment_for,
    find_moto_server,
    free_port,
    restore_environment,
    shared_moto_endpoint,
)
from tests.support.aws.shapes import (
    function_url_event,
    s3_object_created_event,
    scheduler_input,
)
from tests.support.aws.stack import LocalAws, dynamodb_storage

__all__ = [
    "ACCOUNT",
    "REGION",
    "FakeLambdaServer",
    "Invocation",
    "LambdaContext",
    "LocalAws",
    "MotoServer",
    "apply_environment",
    "aws_environment",
    "boto_client",
    "dynamodb_storage",
    "environment_for",
    "find_moto_server",
    "free_port",
    "function_url_event",
    "restore_environment",
    "s3_object_created_event",
    "scheduler_input",
    "shared_moto_endpoint",
]
