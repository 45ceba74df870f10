"""Momentum on AWS: Lambda behind a Function URL, DynamoDB, S3 and EventBridge Scheduler.

Import nothing heavy here: the Lambda handler (:mod:`momentum.adapters.aws.handler`) must import
fast,
and boto3 is only imported inside the functions that need a client.
"""
