"""Builds the coach for one Lambda sandbox from its environment (the AWS composition root).

Environment (set by the Pulumi stack in :mod:`momentum.infra.aws`):

==========================  ===========================================================
``MOMENTUM_TABLE``          the DynamoDB table (required)
``MOMENTUM_BUCKET``         the S3 bucket for streams and uploads (required)
``MOMENTUM_SSM_PARAMETERS``  ``SETTING=parameter-name`` pairs (see :mod:`.secrets`)
``MOMENTUM_SECRET_ID``      optionally, a Secrets Manager JSON secret
``MOMENTUM_CHAT``           a chat platform (``slack``) or ``log``; default: the configured one
``MOMENTUM_HOME``           where ``momentum.toml`` is (default: the bundle's root)
``AWS_LAMBDA_FUNCTION_NAME``  set by Lambda: the function that defers work to itself
``MOMENTUM_DEFERRED_SCHEDULE_GROUP``  the schedule group for delayed jobs' one-time schedules
``MOMENTUM_SCHEDULER_ROLE_ARN``  the role EventBridge Scheduler assumes to invoke the function
``MOMENTUM_DEAD_LETTER_ARN``  optionally, where undeliverable delayed jobs go (SQS)
==========================  ===========================================================

The function's own ARN (a schedule's target) is made from its name, ``AWS_REGION`` and the
account and partition of the scheduler role's ARN (the stack can't pass the ARN of the
function it is configuring); ``MOMENTUM_FUNCTION_ARN`` overrides it.

Secrets are merged over the plain environment into the mapping core's
:func:`~momentum.core.config.load_settings` reads, and never written back to ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from momentum.adapters.aws.clients import LazyClient
from momentum.adapters.aws.dynamodb_storage import DynamoDbStorage
from momentum.adapters.aws.s3_blobs import S3BlobStore
from momentum.adapters.aws.scheduler import LambdaScheduler, OneTimeSchedules
from momentum.adapters.aws.secrets import load_secrets
from momentum.core.app import App
from momentum.core.config import Settings, load_settings
from momentum.core.errors import ConfigError
from momentum.core.plugins.host import PluginHost, load_plugins
from momentum.core.ports.chat import Chat
from momentum.core.ports.clock import Clock, SystemClock
from momentum.core.ports.model import Model
from momentum.core.runtime.compose import cloud_app, required

TABLE_ENV = "MOMENTUM_TABLE"
BUCKET_ENV = "MOMENTUM_BUCKET"
CHAT_ENV = "MOMENTUM_CHAT"
HOME_ENV = "MOMENTUM_HOME"
FUNCTION_ENV = "AWS_LAMBDA_FUNCTION_NAME"
SCHEDULE_GROUP_ENV = "MOMENTUM_DEFERRED_SCHEDULE_GROUP"
SCHEDULER_ROLE_ENV = "MOMENTUM_SCHEDULER_ROLE_ARN"
DEAD_LETTER_ENV = "MOMENTUM_DEAD_LETTER_ARN"
FUNCTION_ARN_ENV = "MOMENTUM_FUNCTION_ARN"


def load_aws_settings(env: Mapping[str, str]) -> Settings:
    """Settings from ``momentum.toml`` (if bundled) and the environment plus secrets."""
    merged = {**env, **load_secrets(env)}
    home = Path(env.get(HOME_ENV) or env.get("LAMBDA_TASK_ROOT") or ".")
    return load_settings(home, env=merged)


def choose_chat(settings: Settings, env: Mapping[str, str], plugins: PluginHost) -> Chat:
    """The chat platform ``MOMENTUM_CHAT`` names (or the configured one), else a chat that
    writes to the log (core's :func:`~momentum.core.runtime.chat.cloud_chat`)."""
    from momentum.core.runtime.chat import cloud_chat

    return cloud_chat(settings, plugins.chat_platforms(), env.get(CHAT_ENV, ""))


def function_arn(env: Mapping[str, str], role_arn: str) -> str:
    """This function's ARN: ``MOMENTUM_FUNCTION_ARN``, else built from its name, the
    region and the account and partition of ``role_arn`` (an IAM role in this account)."""
    explicit = env.get(FUNCTION_ARN_ENV, "").strip()
    if explicit:
        return explicit
    parts = role_arn.split(":")
    if len(parts) < 6 or parts[0] != "arn" or parts[2] != "iam" or not parts[4]:
        raise ConfigError(f"{SCHEDULER_ROLE_ENV} is not an IAM role ARN: {role_arn!r}")
    name = required(env, FUNCTION_ENV)
    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or ""
    if not region:
        raise ConfigError("environment variable AWS_REGION is not set")
    return f"arn:{parts[1]}:lambda:{region}:{parts[4]}:function:{name}"


def one_time_schedules(env: Mapping[str, str], region: str | None) -> OneTimeSchedules | None:
    """Where delayed jobs are scheduled, or ``None`` when the stack set no schedule group
    and role (``defer_at`` then raises, naming the variables)."""
    group = env.get(SCHEDULE_GROUP_ENV, "").strip()
    role = env.get(SCHEDULER_ROLE_ENV, "").strip()
    if not group and not role:
        return None
    if not group or not role:
        missing = SCHEDULE_GROUP_ENV if not group else SCHEDULER_ROLE_ENV
        raise ConfigError(f"environment variable {missing} is not set")
    return OneTimeSchedules(
        group=group,
        role_arn=role,
        function_arn=function_arn(env, role),
        client=LazyClient("scheduler", region=region),
        dead_letter_arn=env.get(DEAD_LETTER_ENV, "").strip(),
    )


def build_aws_app(
    env: Mapping[str, str] | None = None,
    *,
    chat: Chat | None = None,
    model: Model | None = None,
    clock: Clock | None = None,
    plugins: PluginHost | None = None,
) -> App:
    """The coach on DynamoDB, S3 and self-invoking Lambda. Anything passed replaces what
    the environment would choose (tests pass a recording chat and a scripted model)."""
    env = os.environ if env is None else env
    clock = clock or SystemClock()
    settings = load_aws_settings(env)
    region = env.get("AWS_REGION") or None
    blobs = S3BlobStore(required(env, BUCKET_ENV), LazyClient("s3", region=region))
    storage = DynamoDbStorage(
        required(env, TABLE_ENV), LazyClient("dynamodb", region=region), blobs
    )
    plugins = plugins or load_plugins()
    scheduler = LambdaScheduler(
        env.get(FUNCTION_ENV, ""),
        LazyClient("lambda", region=region),
        jobs=plugins.recurring_jobs(),
        blobs=blobs,
        schedules=one_time_schedules(env, region),
        clock=clock,
    )
    return cloud_app(
        settings,
        env,
        storage=storage,
        deferral=scheduler,
        blob=blobs,
        plugins=plugins,
        clock=clock,
        chat=chat,
        model=model,
    )
