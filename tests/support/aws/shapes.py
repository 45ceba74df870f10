"""AWS event shapes as AWS delivers them: Function URL requests (payload format 2.0), S3
notifications and EventBridge Scheduler inputs."""

from __future__ import annotations

import time
import uuid
from typing import Any

from tests.support.aws.moto import REGION


def function_url_event(
    method: str,
    path: str,
    *,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    query: str = "",
    base64_body: bool | None = None,
    domain: str = "abcdefghijklmnop.lambda-url.us-east-1.on.aws",
) -> dict[str, Any]:
    """A Function URL request in payload format 2.0, as Lambda delivers it: lower-case
    header names, ``rawQueryString`` plus ``queryStringParameters`` (repeated keys
    comma-joined), cookies apart, and the body base64-encoded unless it is UTF-8 text
    with a text content type (or as ``base64_body`` says)."""
    import base64
    from urllib.parse import parse_qsl

    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    lowered.setdefault("host", domain)
    lowered.setdefault("user-agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
    lowered.setdefault("x-forwarded-proto", "https")
    cookies = [c.strip() for c in lowered.pop("cookie", "").split(";") if c.strip()]
    if base64_body is None:
        text_types = ("text/", "application/json", "application/x-www-form-urlencoded")
        base64_body = not lowered.get("content-type", "text/plain").startswith(text_types)
    params: dict[str, str] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        params[key] = f"{params[key]},{value}" if key in params else value
    now = time.time()
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": lowered,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": domain.split(".")[0],
            "domainName": domain,
            "domainPrefix": domain.split(".")[0],
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": lowered["user-agent"],
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": "$default",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": base64_body,
    }
    if cookies:
        event["cookies"] = cookies
    if params:
        event["queryStringParameters"] = params
    if body:
        event["body"] = base64.b64encode(body).decode() if base64_body else body.decode("utf-8")
    return event


def s3_object_created_event(bucket: str, key: str, size: int) -> dict[str, Any]:
    """An S3 ``ObjectCreated:Put`` notification (event version 2.1); the key arrives
    URL-encoded with ``+`` for spaces, as S3 sends it."""
    from urllib.parse import quote_plus

    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": REGION,
                "eventTime": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
                "eventName": "ObjectCreated:Put",
                "userIdentity": {"principalId": "AWS:AIDAEXAMPLE"},
                "requestParameters": {"sourceIPAddress": "203.0.113.7"},
                "responseElements": {"x-amz-request-id": "EXAMPLE", "x-amz-id-2": "EXAMPLE"},
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "momentum-uploads",
                    "bucket": {
                        "name": bucket,
                        "ownerIdentity": {"principalId": "EXAMPLE"},
                        "arn": f"arn:aws:s3:::{bucket}",
                    },
                    "object": {
                        "key": quote_plus(key, safe="/"),
                        "size": size,
                        "eTag": "0123456789abcdef0123456789abcdef",
                        "sequencer": "0A1B2C3D4E5F678901",
                    },
                },
            }
        ]
    }


def scheduler_input(job: str, athlete_id: str | None, scheduled_time: str) -> dict[str, Any]:
    """What EventBridge Scheduler delivers for one of the stack's schedules: the target's
    Input, with ``<aws.scheduler.scheduled-time>`` replaced by the scheduled instant."""
    event: dict[str, Any] = {"momentum": "tick", "job": job, "at": scheduled_time}
    if athlete_id is not None:
        event["athlete_id"] = athlete_id
    return event
