"""replay, redrive and users against moto (and target resolution through a stack's Outputs).

moto 5.2.5 does not implement ``redrive_execution`` (it raises NotImplementedError), so redrive runs against
moto's real FAILED executions with a thin proxy that answers ``redrive_execution`` the way AWS documents it.
"""

import json
import stat
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from slawatch_cli.errors import ExitCode
from slawatch_cli.main import main
from slawatch_cli.operations.redrive import redrive
from slawatch_cli.operations.replay import RawObject, execution_name
from slawatch_cli.scanner import targets as targets_module

REGION = "eu-west-1"
ROLE = "arn:aws:iam::123456789012:role/slawatch-workflow"
BUCKET = "slawatch-raw-test"


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    for name in ("SLAWATCH_STACK", "SLAWATCH_RAW_BUCKET", "SLAWATCH_STATE_MACHINE_ARN", "SLAWATCH_USER_POOL_ID"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def moto(aws_env: None) -> Iterator[None]:
    with mock_aws():
        yield


def pass_machine(name: str = "slawatch-ingest") -> str:
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    return boto3.client("stepfunctions").create_state_machine(
        name=name, definition=json.dumps(definition), roleArn=ROLE
    )["stateMachineArn"]


def raw_bucket(keys: list[str]) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    for key in keys:
        s3.put_object(Bucket=BUCKET, Key=key, Body=b'{"sla_error":[]}')


def stack(outputs: dict[str, str]) -> None:
    template = {
        "Resources": {"Handle": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {name: {"Value": value} for name, value in outputs.items()},
    }
    boto3.client("cloudformation").create_stack(StackName="slawatch", TemplateBody=json.dumps(template))


def executions(arn: str) -> list[dict[str, Any]]:
    return boto3.client("stepfunctions").list_executions(stateMachineArn=arn)["executions"]


# ------------------------------------------------------------------------------------------------------ replay

KEYS = [
    "raw/2026/11/26/outside.json",
    "raw/2026/11/27/req-a.json",
    "raw/2026/11/28/req-b.json",
    "raw/2026/11/28/other-c.json",
    "raw/2026/11/29/outside.json",
]


def test_replay_starts_one_execution_per_object_and_twice_is_harmless(
    moto: None, capsys: pytest.CaptureFixture[str]
) -> None:
    raw_bucket(KEYS)
    arn = pass_machine()
    argv = ["replay", "--bucket", BUCKET, "--state-machine-arn", arn, "--from", "2026-11-27", "--to", "2026-11-28"]
    assert main(argv) == ExitCode.OK
    out, err = capsys.readouterr()
    assert "3 raw report(s): 3 started" in out
    assert "replay: 3/3" in err  # progress on stderr
    started = executions(arn)
    assert len(started) == 3
    sfn = boto3.client("stepfunctions")
    inputs = {}
    for execution in started:
        payload = json.loads(sfn.describe_execution(executionArn=execution["executionArn"])["input"])
        inputs[payload["detail"]["object"]["key"]] = (execution["name"], payload)
    assert sorted(inputs) == sorted(KEYS[1:4])
    name, event = inputs["raw/2026/11/28/req-b.json"]
    assert event["detail-type"] == "Object Created" and event["source"] == "aws.s3"
    assert event["detail"]["bucket"] == {"name": BUCKET}
    version = event["detail"]["object"]["version-id"]
    assert version and event["detail"]["object"]["size"] == 16
    assert name == execution_name(RawObject("raw/2026/11/28/req-b.json", version, 16))

    assert main(argv) == ExitCode.OK  # same names, same input: AWS returns the running execution
    assert len(executions(arn)) == 3
    for execution in executions(arn):
        sfn.stop_execution(executionArn=execution["executionArn"])
    assert main(argv) == ExitCode.OK  # finished executions with those names: ExecutionAlreadyExists
    assert "0 started, 3 already replayed" in capsys.readouterr().out
    assert len(executions(arn)) == 3

    assert main([*argv, "--label", "fix-1234"]) == ExitCode.OK  # a new label replays again
    assert len(executions(arn)) == 6


def test_replay_prefix_and_dry_run(moto: None, capsys: pytest.CaptureFixture[str]) -> None:
    raw_bucket(KEYS)
    arn = pass_machine()
    argv = [
        "replay",
        "--bucket",
        BUCKET,
        "--state-machine-arn",
        arn,
        "--from",
        "2026-11-27",
        "--to",
        "2026-11-28",
        "--prefix",
        "req-",
        "--dry-run",
    ]
    assert main(argv) == ExitCode.OK
    out = capsys.readouterr().out
    assert out.count("would start replay-") == 2 and "other-c" not in out
    assert executions(arn) == []


def test_replay_targets_from_the_stack_outputs(moto: None, capsys: pytest.CaptureFixture[str]) -> None:
    raw_bucket(KEYS)
    arn = pass_machine()
    stack({"RawBucketName": BUCKET, "StateMachineArn": arn, "ApiUrl": "https://x/prod/"})
    assert main(["replay", "--stack", "slawatch", "--from", "2026-11-28", "--to", "2026-11-28"]) == ExitCode.OK
    assert len(executions(arn)) == 2


def test_replay_errors_are_one_line(moto: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", "--from", "2026-11-28", "--to", "2026-11-28"]) == ExitCode.CONFIG
    assert "raw report bucket unknown: pass --bucket" in capsys.readouterr().err
    assert main(["replay", "--stack", "nope", "--from", "2026-11-28", "--to", "2026-11-28"]) == ExitCode.CONFIG
    assert capsys.readouterr().err.count("\n") == 1
    raw_bucket([])
    assert (
        main(
            [
                "replay",
                "--bucket",
                BUCKET,
                "--state-machine-arn",
                "arn:aws:states:eu-west-1:123456789012:stateMachine:missing",
                "--from",
                "2026-11-28",
                "--to",
                "2026-11-27",
            ]
        )
        == ExitCode.USAGE  # contradictory arguments: a usage error, like argparse's own
    )
    assert "--to is before --from" in capsys.readouterr().err
    assert main(["replay", "--from", "2026-13-01", "--to", "2026-11-28"]) == ExitCode.USAGE


# ----------------------------------------------------------------------------------------------------- redrive


class RedriveProxy:
    """moto's Step Functions client plus ``redrive_execution`` as AWS documents it."""

    def __init__(self, client: Any, refuse: set[str] | None = None) -> None:
        self._client = client
        self.refuse = refuse or set()
        self.redriven: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def redrive_execution(self, executionArn: str) -> dict[str, Any]:
        if executionArn.rsplit(":", 1)[-1] in self.refuse:
            raise ClientError({"Error": {"Code": "ExecutionNotRedrivable", "Message": "too old"}}, "RedriveExecution")
        self.redriven.append(executionArn)
        return {"redriveDate": datetime.now(UTC)}


@pytest.fixture
def failed_executions(aws_env: None) -> Iterator[tuple[Any, str]]:
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        sfn = boto3.client("stepfunctions")
        failing = {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "test"}}}
        arn = sfn.create_state_machine(name="slawatch-ingest", definition=json.dumps(failing), roleArn=ROLE)[
            "stateMachineArn"
        ]
        for name in ("e1", "e2", "e3"):
            sfn.start_execution(stateMachineArn=arn, name=name, input="{}")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            statuses = {e["status"] for e in sfn.list_executions(stateMachineArn=arn)["executions"]}
            if statuses == {"FAILED"}:
                break
            time.sleep(0.02)
        yield sfn, arn


def test_redrive_failed_executions(failed_executions: tuple[Any, str]) -> None:
    sfn, arn = failed_executions
    proxy = RedriveProxy(sfn, refuse={"e2"})
    import io

    out, err = io.StringIO(), io.StringIO()
    summary = redrive(
        sfn=proxy, state_machine_arn=arn, since=None, now=datetime.now(UTC), dry_run=False, out=out, err=err
    )
    assert (summary.found, summary.redriven, summary.refused) == (3, 2, 1)
    assert summary.refusals == ["e2: ExecutionNotRedrivable"]
    assert sorted(a.rsplit(":", 1)[-1] for a in proxy.redriven) == ["e1", "e3"]

    later = datetime.now(UTC) + timedelta(hours=1)
    none = redrive(sfn=proxy, state_machine_arn=arn, since=later, now=later, dry_run=False, out=out, err=err)
    assert none.found == 0


def test_redrive_through_main(
    failed_executions: tuple[Any, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sfn, arn = failed_executions
    proxy = RedriveProxy(sfn)
    monkeypatch.setattr(targets_module.AwsTargets, "client", lambda self, service: proxy)
    assert main(["redrive", "--state-machine-arn", arn, "--dry-run"]) == ExitCode.OK
    assert capsys.readouterr().out.count("would redrive") == 3 and proxy.redriven == []
    assert main(["redrive", "--state-machine-arn", arn, "--since", "2000-01-01T00:00:00Z"]) == ExitCode.OK
    assert "3 redriven, 0 refused" in capsys.readouterr().out
    proxy.refuse = {"e1"}
    assert main(["redrive", "--state-machine-arn", arn]) == ExitCode.DELIVERY_FAILED


# ------------------------------------------------------------------------------------------------------- users


@pytest.fixture
def pool(moto: None) -> tuple[str, str]:
    cognito = boto3.client("cognito-idp")
    pool_id = cognito.create_user_pool(PoolName="slawatch")["UserPool"]["Id"]
    for group in ("scanners", "readers"):
        cognito.create_group(UserPoolId=pool_id, GroupName=group)
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="scanner",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def test_users_add_creates_a_ready_to_use_user(pool: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    pool_id, client_id = pool
    assert main(["users", "add", "fs01-scanner", "--role", "scanner", "--user-pool-id", pool_id]) == ExitCode.OK
    out, err = capsys.readouterr()
    password = out.strip()
    assert len(password) == 32 and "\n" not in password and "shown only once" in err
    cognito = boto3.client("cognito-idp")
    user = cognito.admin_get_user(UserPoolId=pool_id, Username="fs01-scanner")
    assert user["UserStatus"] == "CONFIRMED"  # permanent password: no challenge for the scheduled task
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username="fs01-scanner")["Groups"]
    assert [g["GroupName"] for g in groups] == ["scanners"]
    answer = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "fs01-scanner", "PASSWORD": password},
    )
    assert "ChallengeName" not in answer and answer["AuthenticationResult"]["AccessToken"]


def test_users_add_twice_and_list(pool: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    pool_id, _ = pool
    assert main(["users", "add", "ana", "--role", "reader", "--user-pool-id", pool_id]) == ExitCode.OK
    assert main(["users", "add", "fs01", "--role", "scanner", "--user-pool-id", pool_id]) == ExitCode.OK
    capsys.readouterr()
    assert main(["users", "add", "ana", "--role", "reader", "--user-pool-id", pool_id]) == ExitCode.CONFIG
    assert "already exists" in capsys.readouterr().err
    assert main(["users", "list", "--user-pool-id", pool_id, "--format", "json"]) == ExitCode.OK
    listed = json.loads(capsys.readouterr().out)
    assert [(u["username"], u["role"], u["status"]) for u in listed] == [
        ("ana", "reader", "CONFIRMED"),
        ("fs01", "scanner", "CONFIRMED"),
    ]
    assert main(["users", "list", "--user-pool-id", pool_id]) == ExitCode.OK
    assert capsys.readouterr().out.splitlines()[0].split() == ["username", "role", "status", "enabled", "created"]


def test_users_add_rolls_back_when_the_group_is_missing(moto: None, capsys: pytest.CaptureFixture[str]) -> None:
    cognito = boto3.client("cognito-idp")
    pool_id = cognito.create_user_pool(PoolName="no-groups")["UserPool"]["Id"]
    assert main(["users", "add", "fs02", "--role", "scanner", "--user-pool-id", pool_id]) == ExitCode.CONFIG
    assert capsys.readouterr().out == ""  # no password shown for a user that does not exist
    assert cognito.list_users(UserPoolId=pool_id)["Users"] == []


def test_users_pool_from_stack(pool: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    pool_id, _ = pool
    stack({"UserPoolId": pool_id})
    assert main(["users", "add", "bob", "--role", "reader", "--stack", "slawatch"]) == ExitCode.OK
    assert main(["users", "list"]) == ExitCode.CONFIG  # no pool, no stack: one clear line
    assert "user pool id unknown" in capsys.readouterr().err


def sign_in(client_id: str, username: str, password: str) -> dict[str, Any]:
    return boto3.client("cognito-idp").initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )


def test_users_output_file_is_0600_and_never_overwritten(
    pool: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pool_id, client_id = pool
    secret = tmp_path / "fs01.password"
    argv = ["users", "add", "fs01", "--role", "scanner", "--user-pool-id", pool_id, "--output", str(secret)]
    assert main(argv) == ExitCode.OK
    out, err = capsys.readouterr()
    assert out == "" and "mode 0600" in err
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    password = secret.read_text(encoding="utf-8").strip()
    assert sign_in(client_id, "fs01", password)["AuthenticationResult"]["AccessToken"]
    argv[2] = "fs02"
    assert main(argv) == ExitCode.CONFIG  # the file exists: refused before the user is created
    assert "exists" in capsys.readouterr().err
    assert [u["Username"] for u in boto3.client("cognito-idp").list_users(UserPoolId=pool_id)["Users"]] == ["fs01"]


def test_users_reset_password_disable_enable_remove(
    pool: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pool_id, client_id = pool
    assert main(["users", "add", "fs01", "--role", "scanner", "--user-pool-id", pool_id]) == ExitCode.OK
    old = capsys.readouterr().out.strip()
    assert main(["users", "reset-password", "fs01", "--user-pool-id", pool_id]) == ExitCode.OK
    new = capsys.readouterr().out.strip()
    assert len(new) == 32 and new != old
    assert sign_in(client_id, "fs01", new)["AuthenticationResult"]["AccessToken"]
    with pytest.raises(ClientError, match="NotAuthorized"):
        sign_in(client_id, "fs01", old)

    cognito = boto3.client("cognito-idp")
    assert main(["users", "disable", "fs01", "--user-pool-id", pool_id]) == ExitCode.OK
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="fs01")["Enabled"] is False
    assert main(["users", "enable", "fs01", "--user-pool-id", pool_id]) == ExitCode.OK
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="fs01")["Enabled"] is True

    assert main(["users", "remove", "fs01", "--user-pool-id", pool_id]) == ExitCode.USAGE  # needs --yes
    assert "--yes" in capsys.readouterr().err
    assert main(["users", "remove", "fs01", "--user-pool-id", pool_id, "--yes"]) == ExitCode.OK
    assert cognito.list_users(UserPoolId=pool_id)["Users"] == []
    for action in (["remove", "fs01", "--yes"], ["disable", "fs01"], ["reset-password", "fs01"]):
        capsys.readouterr()
        assert main(["users", *action, "--user-pool-id", pool_id]) == ExitCode.CONFIG
        assert "no user 'fs01'" in capsys.readouterr().err


@pytest.mark.parametrize("variable", ["AWS_REGION", "AWS_DEFAULT_REGION"])
def test_region_from_either_aws_variable(
    variable: str, moto: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")  # no profile region either
    assert main(["users", "list", "--user-pool-id", "eu-west-1_x"]) == ExitCode.CONFIG
    assert "no AWS region" in capsys.readouterr().err
    monkeypatch.setenv(variable, "eu-central-1")
    cognito = boto3.client("cognito-idp", region_name="eu-central-1")
    pool_id = cognito.create_user_pool(PoolName="central")["UserPool"]["Id"]
    cognito.create_group(UserPoolId=pool_id, GroupName="readers")
    assert main(["users", "add", "ana", "--role", "reader", "--user-pool-id", pool_id]) == ExitCode.OK
    assert [u["Username"] for u in cognito.list_users(UserPoolId=pool_id)["Users"]] == ["ana"]


def test_replay_and_redrive_summaries_as_json(
    failed_executions: tuple[Any, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sfn, arn = failed_executions
    proxy = RedriveProxy(sfn, refuse={"e2"})
    monkeypatch.setattr(targets_module.AwsTargets, "client", lambda self, service: proxy)
    assert main(["redrive", "--state-machine-arn", arn, "--format", "json"]) == ExitCode.DELIVERY_FAILED
    out = capsys.readouterr().out
    summary = json.loads(out)  # stdout holds only the JSON document
    assert summary["found"] == 3 and summary["redriven"] == 2 and summary["refused"] == 1


def test_replay_summary_as_json(moto: None, capsys: pytest.CaptureFixture[str]) -> None:
    raw_bucket(KEYS)
    arn = pass_machine()
    argv = ["replay", "--bucket", BUCKET, "--state-machine-arn", arn, "--from", "2026-11-27", "--to", "2026-11-28"]
    assert main([*argv, "--format", "json"]) == ExitCode.OK
    summary = json.loads(capsys.readouterr().out)
    assert summary == {"listed": 3, "started": 3, "alreadyReplayed": 0, "failed": 0, "dryRun": False}
    assert main([*argv, "--format", "json", "--dry-run"]) == ExitCode.OK
    assert json.loads(capsys.readouterr().out)["dryRun"] is True
