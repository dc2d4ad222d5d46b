"""The whole pipeline on one machine: moto (as a server) plays AWS, the local gateway plays API Gateway.

`slawatch local` (local/foreground.py) runs it until Ctrl-C; `start()` does the same for the demo and
the end-to-end tests. What runs where:

    scanner / CLI --HTTP--> local gateway (template's routes, Cognito JWT + scopes, validator, S3 integration)
                               |-- PutObject raw/... --> moto S3 --(EventBridge rule, emulated)--> moto Step Functions
                               |                                      real ASL, Lambda tasks in worker processes
                               '-- Lambda proxy --> search / sync ingest handlers, in-process
    every boto3 client (handlers included) --> moto server, through AWS_ENDPOINT_URL

The workflow's tasks run in worker processes (local/lambda_workers.py) so that a big report's parsing and
request building use a second core while moto, the gateway and the snapshots keep this one.

Resources are created from template.yaml's definitions where moto can take them (the table, the user pool's
groups and client flows, the ASL with its substitutions).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import string
import sys
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import requests
from moto.server import ThreadedMotoServer

from . import moto_patches
from .bundle import HANDLER_PACKAGES
from .event_rules import rules_of
from .gateway import LocalGateway, TokenVerifier, serve
from .lambda_router import MOTO_CONFIG, LocalLambdaContext, deploy_workflow, route_lambdas, wait_for_execution
from .lambda_workers import WorkerPool
from .notifier import LOG_NAME, FileNotifier
from .persistence import StateStore
from .template import load_template, resources, table_definition

REGION = "eu-west-1"
NAMES = {"table": "slawatch-local-breaches", "raw": "slawatch-local-raw", "work": "slawatch-local-work",
         "pool": "slawatch-local-users", "client": "slawatch-local-scanners"}
STAGE = "local"
WORKERS = 2  # processes for the workflow's handlers: moto keeps one core busy, the handlers another
STATE_DIR = Path(".local-stack")  # relative to where the stack is started, as `slawatch local` defaults it
# Same ids at every start (moto hashes the pool's name and settings), so a scanner config keeps working.
FIXED_IDS = {"MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY": "HASH", "MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY": "HASH"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LocalStack:
    moto_url: str
    api_url: str
    user_pool_id: str
    client_id: str
    state_machine_arn: str  # Standard: reports of 256 KiB or more, replays and redrives
    express_state_machine_arn: str  # Express: reports under 256 KiB
    resumed: list[str] = field(default_factory=list)  # executions interrupted by the last stop, started again
    raw_bucket: str = NAMES["raw"]
    table: str = NAMES["table"]
    region: str = REGION
    notifier: FileNotifier | None = None
    _closers: list[Any] = field(default_factory=list, repr=False)

    def add_user(self, name: str, role: str) -> str:
        """A scanner or reader login with a generated password (returned once, never stored by the stack)."""
        group = {"scanner": "scanners", "reader": "readers"}[role]
        alphabet = string.ascii_letters + string.digits
        password = "".join(secrets.choice(alphabet) for _ in range(20)) + "!a1Z"
        cognito = boto3.client("cognito-idp")
        cognito.admin_create_user(UserPoolId=self.user_pool_id, Username=name, MessageAction="SUPPRESS")
        cognito.admin_set_user_password(UserPoolId=self.user_pool_id, Username=name, Password=password, Permanent=True)
        cognito.admin_add_user_to_group(UserPoolId=self.user_pool_id, Username=name, GroupName=group)
        return password

    def usernames(self) -> set[str]:
        pages = boto3.client("cognito-idp").get_paginator("list_users").paginate(UserPoolId=self.user_pool_id)
        return {user["Username"] for page in pages for user in page["Users"]}

    def add_closer(self, closer: Any) -> None:
        """Run `closer` first at close()."""
        self._closers.append(closer)

    def sign_in(self, username: str, password: str) -> str:
        """An access token from Cognito InitiateAuth, sent exactly as the scanners send it (unsigned JSON POST)."""
        answer = requests.post(
            f"{self.moto_url}/",
            headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
                     "Content-Type": "application/x-amz-json-1.1"},
            data=json.dumps({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": self.client_id,
                             "AuthParameters": {"USERNAME": username, "PASSWORD": password}}),
            timeout=10,
        )
        answer.raise_for_status()
        return answer.json()["AuthenticationResult"]["AccessToken"]

    def scanner_config(self, folders: list[dict[str, Any]], spool: Path, **overrides: Any) -> dict[str, Any]:
        """A scanner configuration pointing at this stack (the same file format as config/slawatch.example.json)."""
        return {
            "api": {"url": f"{self.api_url}/reports", "timeoutSeconds": 10, **overrides.get("api", {})},
            "auth": {"region": self.region, "clientId": self.client_id, "endpoint": self.moto_url},
            "delivery": {"maxAttempts": 3, "baseDelaySeconds": 0.1, "maxDelaySeconds": 1},
            "spool": {"directory": str(spool / "spool"), "deadLetterDirectory": str(spool / "dead-letter")},
            "log": {"directory": str(spool / "logs")},
            "folders": folders,
        }

    def wait_for_workflows(self, timeout: float = 120.0) -> list[dict[str, Any]]:
        """Every execution started so far on either machine, once none is RUNNING."""
        return [wait_for_execution(e["executionArn"], timeout=timeout) for e in self.executions()]

    def executions(self) -> list[dict[str, Any]]:
        """Both machines' executions, as ListExecutions gives them (locally Express runs are listed too)."""
        sfn = boto3.client("stepfunctions")
        return [execution for arn in (self.state_machine_arn, self.express_state_machine_arn)
                for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=arn)
                for execution in page["executions"]]

    def check_silence(self, now: datetime | None = None) -> dict[str, Any]:
        """What EventBridge Scheduler does every 5 minutes: run the silence check (as of `now`)."""
        from incidents import silence

        event = {"time": (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")}
        return silence.lambda_handler(event, LocalLambdaContext("IncidentSilenceFunction", "local:silence"))

    def close(self) -> None:
        for closer in reversed(self._closers):
            closer()
        self._closers.clear()


def start(*, retry_seconds: int | None = 1, state_dir: Path | None = None,
          environment: dict[str, str] | None = None, echo: bool = True, api_port: int = 0, moto_port: int = 0,
          persist: bool = False, fresh: bool = False, workers: int = WORKERS) -> LocalStack:
    """Start moto and the gateway on loopback ports (0: a free one); the caller must close() the stack.

    Notifications go to <state_dir>/notifications.log (and stdout unless echo=False); `environment` overrides
    function settings such as INCIDENT_RECOVERY_MINUTES. With `persist`, what the stack holds is restored from
    the snapshot in state_dir and snapshotted back while it runs and at close() (local/persistence.py); `fresh`
    discards the snapshot first. The workflow's handlers run in `workers` processes (local/lambda_workers.py);
    0 runs them in this process."""
    moto_patches.apply()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto server's per-request access log
    saved_environment = dict(os.environ)

    def restore_environment() -> None:
        os.environ.clear()
        os.environ.update(saved_environment)
        _forget_cached_clients()

    closers: list[Any] = [restore_environment]  # the stack points every boto3 client at moto; undo that on close
    _forget_cached_clients()
    moto_port = moto_port or free_port()
    os.environ.update(FIXED_IDS)
    os.environ["MOTO_PORT"] = str(moto_port)  # moto's Step Functions calls Lambda at localhost:$MOTO_PORT
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
    server.start()
    closers.append(server.stop)
    moto_url = f"http://127.0.0.1:{moto_port}"
    # moto's state is per process: start every stack empty, even after another one in the same process.
    requests.post(f"{moto_url}/moto-api/reset", timeout=10).raise_for_status()
    requests.post(f"{moto_url}/moto-api/config", json=MOTO_CONFIG, timeout=10).raise_for_status()
    os.environ.update(
        AWS_ENDPOINT_URL=moto_url, AWS_ACCESS_KEY_ID="local", AWS_SECRET_ACCESS_KEY="local",
        AWS_DEFAULT_REGION=REGION, TABLE_NAME=NAMES["table"], RAW_BUCKET=NAMES["raw"], WORK_BUCKET=NAMES["work"],
        POWERTOOLS_TRACE_DISABLED="1", POWERTOOLS_METRICS_NAMESPACE="SlaWatch",
        POWERTOOLS_SERVICE_NAME="slawatch-local",
        POWERTOOLS_METRICS_DISABLED="true", POWERTOOLS_LOG_LEVEL=os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
        **{**_incident_settings(), **(environment or {})},
    )
    os.environ.pop("AWS_PROFILE", None)
    try:
        boto3.client("dynamodb").create_table(TableName=NAMES["table"], **table_definition())
        pool_id, client_id = _user_pool()
        _buckets()
        handlers = {logical: _handler(props) for logical, props in _functions().items()}
        env = {k: os.environ[k] for k in ("TABLE_NAME", "RAW_BUCKET", "WORK_BUCKET")}
        workflow = deploy_workflow(environment=env, retry_seconds=retry_seconds)
        served: dict[str, Any] = dict(workflow.handlers)
        pool = WorkerPool(workers, preload=sorted(set(served.values()))) if workers else None
        if pool is not None:
            closers.append(pool.close)
            served = {name: pool.handler(handler) for name, handler in workflow.handlers.items()}
        router = route_lambdas(served)
        router.__enter__()

        def stop_routing() -> None:
            if pool is not None:
                pool.close()  # first: a stop never waits for a task in a worker, and no task is echoed meanwhile
            router.__exit__(None, None, None)

        closers.append(stop_routing)
        store, interrupted = None, []
        if persist:
            store = StateStore(state_dir or STATE_DIR, REGION, NAMES["table"], (NAMES["raw"], NAMES["work"]),
                               NAMES["pool"], fresh=fresh)
            interrupted = store.restore(pool_id, workflow.state_machine_arn)
        sfn = boto3.client("stepfunctions")
        rules = [rule for machine in workflow.machines
                 for rule in rules_of(machine, {"RawReportBucket": NAMES["raw"]})]
        notifier = FileNotifier((state_dir or STATE_DIR) / LOG_NAME, echo=sys.stdout if echo else None)
        incident_prefixes, apply_incidents = _incident_route(notifier)
        closers.append(lambda: _use_notifier(None))

        def object_created(bucket: str, key: str, size: int, version: str | None) -> None:
            """The template's EventBridge rules, which moto does not run: Object Created under raw/ starts one
            workflow execution (Express under 256 KiB, Standard above, as the rules' patterns say); every archived
            report goes to the incident function."""
            event = {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Object Created", "source": "aws.s3",
                     "region": REGION, "detail": {"bucket": {"name": bucket},
                                                  "object": {"key": key, "size": size, "version-id": version}}}
            if key.startswith(incident_prefixes):
                apply_incidents(event)
            for rule in rules:
                if rule.matches(event):
                    sfn.start_execution(stateMachineArn=workflow.machines[rule.target], name=str(uuid.uuid4()),
                                        input=json.dumps(event))

        gateway = LocalGateway(
            load_template(),
            verifier=TokenVerifier(moto_url, REGION, pool_id, client_id),
            handlers=handlers,
            s3_client=boto3.client("s3"),
            raw_bucket=NAMES["raw"],
            on_object_created=object_created,
            stage=STAGE,
        )
        http: ThreadingHTTPServer = serve(gateway, port=api_port)
        closers.append(http.shutdown)
        if store is not None:
            store.start()
            closers.append(store.close)  # runs first on close: the last snapshot, while moto still answers
        resumed = [_resume(sfn, record["stateMachineArn"], record) for record in interrupted]
        api_url = f"http://127.0.0.1:{http.server_address[1]}/{STAGE}"
        return LocalStack(moto_url, api_url, pool_id, client_id, workflow.state_machine_arn,
                          workflow.express_state_machine_arn, resumed,
                          notifier=notifier, _closers=closers)
    except Exception:
        for closer in reversed(closers):
            closer()
        raise


def _resume(sfn: Any, state_machine_arn: str, record: dict[str, Any]) -> str:
    """Start an execution interrupted by the last stop again from the start: every task is idempotent."""
    name = f"{record['name'][:72]}-resumed"
    sfn.start_execution(stateMachineArn=state_machine_arn, name=name, input=record["input"])
    return name


def _incident_settings() -> dict[str, str]:
    """The incident functions' settings as the template's parameter defaults give them."""
    parameters = load_template()["Parameters"]
    names = {"INCIDENT_RECOVERY_MINUTES": "IncidentRecoveryMinutes", "SCANNER_SILENCE_MINUTES": "ScannerSilenceMinutes",
             "SCANNER_SILENCE_INTERVALS": "ScannerSilenceIntervals"}
    return {variable: str(parameters[name]["Default"]) for variable, name in names.items()}


def _incident_route(notifier: FileNotifier) -> tuple[tuple[str, ...], Any]:
    """The IncidentReportFunction rule's key prefixes, and its handler with the local notifier installed.
    Run in the request's thread: the incident is up to date when POST /reports answers (AWS: within seconds)."""
    from incidents import report

    _use_notifier(notifier)
    (event,) = resources()["IncidentReportFunction"]["Properties"]["Events"].values()
    prefixes = tuple(p["prefix"] for p in event["Properties"]["Pattern"]["detail"]["object"]["key"])

    def apply(event: dict[str, Any]) -> None:
        try:
            report.lambda_handler(event, LocalLambdaContext("IncidentReportFunction", "local:incidents"))
        except Exception:  # AWS would retry the event; locally the log says what went wrong
            logging.getLogger("local.stack").exception("incident function failed for %s", event["detail"])

    return prefixes, apply


def _use_notifier(notifier: FileNotifier | None) -> None:
    import incidents

    incidents.use_notifier(notifier)


def _forget_cached_clients() -> None:
    """Handlers cache their boto3 clients per execution environment (functools.cache), as Lambda code should.
    In one local process those clients would outlive the stack's endpoint, so drop them at start and close."""
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in HANDLER_PACKAGES:
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def _functions() -> dict[str, dict[str, Any]]:
    """Functions the API proxies to (the workflow's are served by the router)."""
    return {name: r["Properties"] for name, r in resources("AWS::Serverless::Function").items()
            if name in ("SyncIngestFunction", "SearchFunction")}


def _handler(props: dict[str, Any]) -> Any:
    module_name, function = props["Handler"].rsplit(".", 1)
    module = __import__(module_name, fromlist=[function])
    return getattr(module, function)


def _user_pool() -> tuple[str, str]:
    """The user pool as the template declares it: admin-created users, the two groups, USER_PASSWORD_AUTH."""
    props = resources()["ScannerUserPool"]["Properties"]
    client_props = resources()["ScannerUserPoolClient"]["Properties"]
    cognito = boto3.client("cognito-idp")
    pool = cognito.create_user_pool(PoolName=NAMES["pool"], Policies=props["Policies"],
                                    AdminCreateUserConfig={"AllowAdminCreateUserOnly": True})["UserPool"]["Id"]
    for group in (r["Properties"]["GroupName"] for r in resources("AWS::Cognito::UserPoolGroup").values()):
        cognito.create_group(UserPoolId=pool, GroupName=group)
    client = cognito.create_user_pool_client(
        UserPoolId=pool, ClientName=NAMES["client"], GenerateSecret=False,
        ExplicitAuthFlows=client_props["ExplicitAuthFlows"],
    )["UserPoolClient"]["ClientId"]
    return pool, client


def _buckets() -> None:
    s3 = boto3.client("s3")
    for name, lock in ((NAMES["raw"], True), (NAMES["work"], False)):
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION},
                         ObjectLockEnabledForBucket=lock)
        if lock:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
