"""What the Pulumi stack would create, made on moto server, for tests and benchmarks."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.support.aws.fake_lambda import FakeLambdaServer
from tests.support.aws.moto import (
    ACCOUNT,
    REGION,
    boto_client,
    cached_client,
    environment_for,
)


@dataclass
class LocalAws:
    """What the Pulumi stack would create, made on moto server: a table, a bucket, SSM
    SecureString parameters, the schedule group and scheduler role for delayed jobs, plus a
    fake Lambda Invoke endpoint for self-invokes. (moto stores schedules but never fires
    them: a test reads a schedule's target input and hands it to the handler.)"""

    endpoint: str
    fake_lambda: FakeLambdaServer
    name: str = field(default_factory=lambda: f"momentum-{uuid.uuid4().hex[:10]}")
    parameters: dict[str, str] = field(default_factory=dict)
    """``{SETTING: parameter name}`` of the secrets stored so far."""

    @property
    def table(self) -> str:
        """The table's name."""
        return self.name

    @property
    def bucket(self) -> str:
        """The bucket's name."""
        return self.name

    @property
    def schedule_group(self) -> str:
        """The schedule group delayed jobs are scheduled in."""
        return f"{self.name}-deferred"

    @property
    def scheduler_role(self) -> str:
        """The name of the role the schedules would assume."""
        return f"{self.name}-scheduler"

    @property
    def scheduler_role_arn(self) -> str:
        """Its ARN (moto's account)."""
        return f"arn:aws:iam::{ACCOUNT}:role/{self.scheduler_role}"

    @property
    def function_arn(self) -> str:
        """The ARN a schedule targets: the fake Lambda's function."""
        return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{self.fake_lambda.function_name}"

    def client(self, service: str) -> Any:
        """A boto3 client on the stand-in (Lambda's is the fake Invoke endpoint)."""
        if service == "lambda":
            return boto_client(service, self.fake_lambda.endpoint)
        return boto_client(service, self.endpoint)

    def create(self) -> None:
        """Create the table (with TTL) and the bucket."""
        from momentum.adapters.aws.schema import create_table

        create_table(self.client("dynamodb"), self.table)
        self.client("s3").create_bucket(Bucket=self.bucket)
        self.client("scheduler").create_schedule_group(Name=self.schedule_group)
        self.client("iam").create_role(
            RoleName=self.scheduler_role,
            AssumeRolePolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "scheduler.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
        )

    def delayed_schedules(self) -> list[dict[str, Any]]:
        """Every one-time schedule waiting in the group, in full (``GetSchedule``)."""
        scheduler = self.client("scheduler")
        names = [
            s["Name"]
            for page in scheduler.get_paginator("list_schedules").paginate(
                GroupName=self.schedule_group
            )
            for s in page["Schedules"]
        ]
        return [scheduler.get_schedule(GroupName=self.schedule_group, Name=n) for n in names]

    def fire(self, schedule: dict[str, Any]) -> None:
        """What EventBridge Scheduler does at a one-time schedule's time: invoke its target
        asynchronously with its input (through the real boto3 Lambda client, to the fake
        Lambda, which queues it), then delete the schedule (``ActionAfterCompletion``)."""
        target = schedule["Target"]
        if target["Arn"] != self.function_arn:
            raise ValueError(f"schedule {schedule['Name']} targets {target['Arn']}, not us")
        self.client("lambda").invoke(
            FunctionName=target["Arn"], InvocationType="Event", Payload=target["Input"].encode()
        )
        if schedule.get("ActionAfterCompletion") == "DELETE":
            self.client("scheduler").delete_schedule(
                GroupName=schedule["GroupName"], Name=schedule["Name"]
            )

    def put_secrets(self, values: dict[str, str]) -> None:
        """Store ``{SETTING: value}`` as SecureString parameters under ``/<name>/``."""
        ssm = self.client("ssm")
        for setting, value in values.items():
            parameter = f"/{self.name}/{setting}"
            ssm.put_parameter(Name=parameter, Value=value, Type="SecureString", Overwrite=True)
            self.parameters[setting] = parameter

    def env(self) -> dict[str, str]:
        """The function's environment as the stack sets it, pointed at the stand-ins."""
        env = environment_for(self.endpoint, self.fake_lambda.endpoint)
        env.update(
            {
                "MOMENTUM_TABLE": self.table,
                "MOMENTUM_BUCKET": self.bucket,
                "AWS_LAMBDA_FUNCTION_NAME": self.fake_lambda.function_name,
                "MOMENTUM_DEFERRED_SCHEDULE_GROUP": self.schedule_group,
                "MOMENTUM_SCHEDULER_ROLE_ARN": self.scheduler_role_arn,
            }
        )
        if self.parameters:
            env["MOMENTUM_SSM_PARAMETERS"] = ",".join(
                f"{setting}={name}" for setting, name in sorted(self.parameters.items())
            )
        return env

    def destroy(self) -> None:
        """Delete what :meth:`create` and :meth:`put_secrets` made."""
        from momentum.adapters.aws.s3_blobs import S3BlobStore

        s3 = self.client("s3")
        S3BlobStore(self.bucket, s3).delete_prefix("")
        s3.delete_bucket(Bucket=self.bucket)
        self.client("dynamodb").delete_table(TableName=self.table)
        self.client("scheduler").delete_schedule_group(Name=self.schedule_group)
        self.client("iam").delete_role(RoleName=self.scheduler_role)
        if self.parameters:
            self.client("ssm").delete_parameters(Names=sorted(set(self.parameters.values())))


@contextmanager
def dynamodb_storage(endpoint: str) -> Iterator[tuple[Any, Callable[[], Any]]]:
    """A fresh table and bucket on a stand-in, as ``(storage, reopen)``; both are deleted
    afterwards. ``reopen()`` gives a new :class:`~momentum.adapters.aws.dynamodb_storage.
    DynamoDbStorage` on new clients over the same data (a restart). The shape a storage
    contract suite's backend factory needs."""
    from momentum.adapters.aws.dynamodb_storage import DynamoDbStorage
    from momentum.adapters.aws.s3_blobs import S3BlobStore
    from momentum.adapters.aws.schema import create_table

    name = f"momentum-{uuid.uuid4().hex[:12]}"
    dynamodb, s3 = cached_client("dynamodb", endpoint), cached_client("s3", endpoint)
    create_table(dynamodb, name)
    s3.create_bucket(Bucket=name)

    def reopen() -> Any:
        fresh = S3BlobStore(name, boto_client("s3", endpoint))
        return DynamoDbStorage(name, boto_client("dynamodb", endpoint), fresh)

    try:
        yield DynamoDbStorage(name, dynamodb, S3BlobStore(name, s3)), reopen
    finally:
        S3BlobStore(name, s3).delete_prefix("")
        s3.delete_bucket(Bucket=name)
        dynamodb.delete_table(TableName=name)
