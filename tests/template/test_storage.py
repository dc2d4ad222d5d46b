"""The raw archive and the work bucket: what auditors and reviewers rely on."""

from __future__ import annotations

from typing import Any

import pytest

from local.template import resources

BUCKETS = ["RawReportBucket", "WorkBucket"]


def _bucket(name: str) -> dict[str, Any]:
    return resources("AWS::S3::Bucket")[name]["Properties"]


def _policy_statements(bucket: str) -> list[dict[str, Any]]:
    [policy] = [
        r["Properties"]
        for r in resources("AWS::S3::BucketPolicy").values()
        if r["Properties"]["Bucket"] == {"Ref": bucket}
    ]
    return policy["PolicyDocument"]["Statement"]


def test_raw_archive_is_versioned_and_object_locked_in_governance_mode() -> None:
    props = _bucket("RawReportBucket")
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["ObjectLockEnabled"] is True
    lock = props["ObjectLockConfiguration"]
    assert lock["ObjectLockEnabled"] == "Enabled"
    assert lock["Rule"]["DefaultRetention"] == {"Mode": "GOVERNANCE", "Days": {"Ref": "RawReportRetentionDays"}}


def test_raw_archive_survives_stack_deletion() -> None:
    bucket = resources()["RawReportBucket"]
    assert bucket["DeletionPolicy"] == "Retain"
    assert bucket["UpdateReplacePolicy"] == "Retain"


def test_raw_archive_sends_events_to_eventbridge() -> None:
    notification = _bucket("RawReportBucket")["NotificationConfiguration"]
    assert notification == {"EventBridgeConfiguration": {"EventBridgeEnabled": True}}


def test_raw_archive_moves_to_colder_storage_and_expires_old_versions() -> None:
    [rule] = _bucket("RawReportBucket")["LifecycleConfiguration"]["Rules"]
    assert rule["Status"] == "Enabled"
    assert rule["Transitions"] == [
        {"StorageClass": "STANDARD_IA", "TransitionInDays": 30},
        {"StorageClass": "GLACIER_IR", "TransitionInDays": 90},
    ]
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] > 0
    assert "ExpirationInDays" not in rule  # current reports are kept; only Object Lock decides how long at least


def test_work_bucket_is_scratch_space_that_expires_within_a_week() -> None:
    [rule] = _bucket("WorkBucket")["LifecycleConfiguration"]["Rules"]
    assert rule["Status"] == "Enabled"
    assert rule["ExpirationInDays"] == 7


@pytest.mark.parametrize("bucket", BUCKETS)
def test_bucket_blocks_all_public_access_and_disables_acls(bucket: str) -> None:
    props = _bucket(bucket)
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}


@pytest.mark.parametrize("bucket", BUCKETS)
def test_bucket_is_encrypted_at_rest(bucket: str) -> None:
    [rule] = _bucket(bucket)["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in {"AES256", "aws:kms"}


@pytest.mark.parametrize("bucket", BUCKETS)
def test_bucket_policy_denies_every_request_without_tls(bucket: str) -> None:
    [deny] = [s for s in _policy_statements(bucket) if s.get("Sid") == "DenyInsecureTransport"]
    assert deny["Effect"] == "Deny"
    assert deny["Principal"] == "*"
    assert deny["Action"] == "s3:*"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert deny["Resource"] == [{"Fn::GetAtt": [bucket, "Arn"]}, {"Fn::Sub": f"${{{bucket}.Arn}}/*"}]


def test_raw_archive_refuses_puts_under_another_encryption() -> None:
    [deny] = [s for s in _policy_statements("RawReportBucket") if s.get("Sid") == "DenyOtherEncryption"]
    assert deny["Effect"] == "Deny"
    assert deny["Action"] == "s3:PutObject"
    # Denied only when the header is present and not AES256: API Gateway and the Lambdas send no header.
    assert deny["Condition"]["Null"] == {"s3:x-amz-server-side-encryption": "false"}
    assert deny["Condition"]["StringNotEquals"] == {"s3:x-amz-server-side-encryption": "AES256"}


def test_bucket_policies_only_deny() -> None:
    for bucket in BUCKETS:
        assert {s["Effect"] for s in _policy_statements(bucket)} == {"Deny"}


def test_the_breach_table_is_encrypted_recoverable_and_protected() -> None:
    table = resources()["BreachTable"]
    props = table["Properties"]
    assert props["SSESpecification"] == {"SSEEnabled": True}
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == "Retain"


def test_table_expires_items_by_the_retention_parameter() -> None:
    from local.template import load_template
    from slawatch import retention

    template = load_template()
    table = resources()["BreachTable"]["Properties"]
    assert table["TimeToLiveSpecification"] == {"AttributeName": retention.ATTRIBUTE, "Enabled": True}
    parameter = template["Parameters"]["TableRetentionDays"]
    assert parameter["Default"] == retention.DEFAULT_RETENTION_DAYS and parameter["MinValue"] == 0
    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    assert variables["RETENTION_DAYS"] == {"Ref": "TableRetentionDays"}
