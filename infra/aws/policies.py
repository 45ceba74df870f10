"""IAM policy documents for the stack, as plain dicts from resource ARNs.

Least privilege: every statement names its actions one by one (no ``*``, no ``service:*``)
and its resources by ARN. The only wildcards are suffixes under this stack's own resources
that IAM has no other way to express: the log streams of its own log group
(``<log group>:*``), the objects of its own bucket (``<bucket>/*``) and the schedules of
its own delayed-job schedule group (``…:schedule/<group>/*``: each delayed job is a new
one-time schedule with a name made at run time).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Policy = dict[str, Any]

TABLE_ACTIONS = (
    "dynamodb:BatchWriteItem",
    "dynamodb:DeleteItem",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
)
"""No ``dynamodb:Scan``: the storage never scans, so the function may not."""
OBJECT_ACTIONS = ("s3:DeleteObject", "s3:GetObject", "s3:PutObject")


def document(*statements: dict[str, Any]) -> Policy:
    """A policy document."""
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(sid: str, actions: Sequence[str], resources: Sequence[str]) -> dict[str, Any]:
    """One Allow statement."""
    return {"Sid": sid, "Effect": "Allow", "Action": list(actions), "Resource": list(resources)}


def lambda_trust() -> Policy:
    """The function's role may be assumed by Lambda only."""
    return document(
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    )


def scheduler_trust(account_id: str) -> Policy:
    """The schedules' role may be assumed by EventBridge Scheduler for this account only
    (the confused-deputy guard)."""
    return document(
        {
            "Effect": "Allow",
            "Principal": {"Service": "scheduler.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
        }
    )


def schedules_in_group(group_arn: str) -> str:
    """The ARN pattern of every schedule in a schedule group: a group is
    ``arn:<partition>:scheduler:<region>:<account>:schedule-group/<name>`` and its
    schedules ``arn:<partition>:scheduler:<region>:<account>:schedule/<name>/<schedule>``."""
    head, marker, name = group_arn.partition(":schedule-group/")
    if not marker or not name or "/" in name or not head.startswith("arn:"):
        raise ValueError(f"not a schedule group ARN: {group_arn!r}")
    return f"{head}:schedule/{name}/*"


def function_policy(
    *,
    function_arn: str,
    table_arn: str,
    index_arns: Sequence[str],
    bucket_arn: str,
    log_group_arn: str,
    queue_arn: str,
    parameter_arns: Sequence[str] = (),
    deferred_group_arn: str = "",
    scheduler_role_arn: str = "",
) -> Policy:
    """What the function may do: write its own logs, use its own table and bucket, invoke
    itself, read its own parameters, dead-letter failed asynchronous events, and (given
    its delayed-job schedule group and the scheduler's role) create one-time schedules in
    that group only, handing them only that role."""
    statements = [
        allow("OwnLogs", ("logs:CreateLogStream", "logs:PutLogEvents"), (f"{log_group_arn}:*",)),
        allow("OwnTable", TABLE_ACTIONS, (table_arn, *index_arns)),
        allow("OwnObjects", OBJECT_ACTIONS, (f"{bucket_arn}/*",)),
        allow("OwnBucketListing", ("s3:ListBucket",), (bucket_arn,)),
        allow("InvokeSelf", ("lambda:InvokeFunction",), (function_arn,)),
        allow("DeadLetters", ("sqs:SendMessage",), (queue_arn,)),
    ]
    if parameter_arns:
        statements.append(allow("OwnParameters", ("ssm:GetParameters",), parameter_arns))
    if deferred_group_arn and scheduler_role_arn:
        statements.append(
            allow(
                "DelayedJobSchedules",
                ("scheduler:CreateSchedule",),
                (schedules_in_group(deferred_group_arn),),
            )
        )
        statements.append(
            {
                **allow("PassSchedulerRole", ("iam:PassRole",), (scheduler_role_arn,)),
                "Condition": {"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}},
            }
        )
    return document(*statements)


def scheduler_policy(*, function_arn: str, queue_arn: str) -> Policy:
    """What the schedules (recurring ticks and delayed jobs' one-time schedules) may do:
    invoke this function, dead-letter undeliverable events."""
    return document(
        allow("InvokeCoach", ("lambda:InvokeFunction",), (function_arn,)),
        allow("DeadLetters", ("sqs:SendMessage",), (queue_arn,)),
    )


def deny_insecure_transport(bucket_arn: str) -> Policy:
    """A bucket policy refusing any request not made over TLS (a Deny: grants nothing)."""
    return document(
        {
            "Sid": "TlsOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [bucket_arn, f"{bucket_arn}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    )
