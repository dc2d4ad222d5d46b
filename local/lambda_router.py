"""Run the real Step Functions definition in moto with its Lambda tasks served by in-process Python handlers.

moto 5 executes state machines (`{"stepfunctions": {"execute_state_machine": True}}`), and a
`lambda:invoke` task calls moto's Lambda service through boto3. Without Docker
(`{"lambda": {"use_docker": False}}`) moto serves Lambda from
`moto.awslambda_simple.models.LambdaSimpleBackend`, whose `invoke` only echoes the payload. That method is the
seam: `route_lambdas` replaces it, for the duration of a `with` block, with one that looks the function up in
moto (so an unknown name or ARN still fails like AWS) and, when its name is registered, calls the Python
handler with a Lambda-like context. A handler's exception is returned the way Lambda returns an unhandled
error: header `x-amz-function-error: Unhandled` and a body `{"errorType": <exception class name>,
"errorMessage": ...}`, so the state machine's Retry and Catch match on the class name (`StoreUnavailable`),
as in AWS.

The seam leans on moto internals (class, method name, argument order); it is written for moto 5.2.5 and
tests/workflow/test_lambda_router.py pins it, so an upgrade that moves it fails loudly rather than silently
echoing payloads. The patch is installed on the class, so it serves every account and region and also an
in-process moto server (ThreadedMotoServer) used by the local stack, whose handlers are callables that run the
handler strings in worker processes (local/lambda_workers.py; an error comes back under its class name, with the
worker's stack trace).

The rest of the module builds what the template would: an IAM role, the four workflow functions and the state
machine from `statemachine/ingest.asl.json` with the template's substitutions, optionally with retry intervals
shrunk to one second (moto sleeps for real between retries).
"""

from __future__ import annotations

import importlib
import io
import json
import re
import threading
import time
import traceback
import uuid
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from .bundle import ROOT, STATEMACHINE  # noqa: F401 - ROOT re-exported for the tests

INGEST_ASL = STATEMACHINE / "ingest.asl.json"
MOTO_VERSION = "5.2.5"  # the version the seam below was written against (see the module docstring)
MOTO_CONFIG: dict[str, Any] = {
    "stepfunctions": {"execute_state_machine": True},
    "lambda": {"use_docker": False},
}
# Logical id in template.yaml -> handler string; the ASL substitution for each is "<logical id>Arn".
WORKFLOW_FUNCTIONS: dict[str, str] = {
    "ValidateReportFunction": "workflow.validate.lambda_handler",
    "NormaliseReportFunction": "workflow.normalise.lambda_handler",
    "PersistBreachesFunction": "workflow.persist.lambda_handler",
    "RecordOutcomeFunction": "workflow.record_outcome.lambda_handler",
}
LOCAL_ROLE = "slawatch-local-execution"
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_]+)\}")

Handler = Callable[[Any, Any], Any]

_lock = threading.RLock()
_routes: dict[str, Handler] = {}
_original_invoke: Callable[..., Any] | None = None


# --------------------------------------------------------------------------- the seam
@dataclass
class LocalLambdaContext:
    """What Powertools and our handlers read from the Lambda context object."""

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int = 512
    timeout_seconds: float = 30
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = "local"
    _deadline: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self.log_group_name = self.log_group_name or f"/aws/lambda/{self.function_name}"
        self._deadline = time.monotonic() + self.timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def resolve_handler(handler: Handler | str) -> Handler:
    """A callable, or a Lambda handler string such as `workflow.validate.lambda_handler`."""
    if callable(handler):
        return handler
    module, _, name = handler.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _simple_backend_class() -> type:
    from moto.awslambda_simple.models import LambdaSimpleBackend

    return LambdaSimpleBackend


def _routed_invoke(self: Any, function_name: str, qualifier: str | None, body: Any, headers: Any,
                   response_headers: dict[str, str]) -> bytes | None:
    fn = self.get_function(function_name, qualifier)  # unknown names and ARNs fail as in AWS
    with _lock:
        handler = _routes.get(fn.function_name)
        original = _original_invoke
    if handler is None:
        assert original is not None
        return original(self, function_name, qualifier, body, headers, response_headers)
    event = json.loads(body) if body else {}
    context = LocalLambdaContext(
        function_name=fn.function_name,
        invoked_function_arn=fn.function_arn,
        memory_limit_in_mb=int(fn.memory_size or 128),
        timeout_seconds=float(fn.timeout or 3),
    )
    try:
        result = handler(event, context)
    except Exception as exc:  # an unhandled error, reported the way the Lambda Python runtime reports it
        response_headers["x-amz-function-error"] = "Unhandled"
        payload: Any = {
            "errorType": type(exc).__name__,
            "errorMessage": str(exc),
            "requestId": context.aws_request_id,
            "stackTrace": getattr(exc, "stack_trace", None) or traceback.format_exception(exc)[-5:],
        }
    else:
        payload = result
    encoded = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    response_headers["Content-Length"] = str(len(encoded))
    return encoded


def _install() -> None:
    global _original_invoke
    backend = _simple_backend_class()
    if _original_invoke is None:
        _original_invoke = backend.invoke
        backend.invoke = _routed_invoke


def _uninstall() -> None:
    global _original_invoke
    if _original_invoke is not None:
        _simple_backend_class().invoke = _original_invoke
        _original_invoke = None


def lambda_uses_simple_backend() -> bool:
    """True when moto is configured to serve Lambda without Docker, the only backend the router patches."""
    from moto.core.config import default_user_config

    return default_user_config.get("lambda", {}).get("use_docker", True) is False


@contextmanager
def route_lambdas(handlers: Mapping[str, Handler | str]) -> Iterator[dict[str, Handler]]:
    """Within the block, invoking a moto Lambda function named in `handlers` runs that Python handler.

    Enter it inside `mock_aws(config=MOTO_CONFIG)` (or with moto configured the same way for a server).
    Nested blocks add routes; leaving a block removes its own.
    """
    if not lambda_uses_simple_backend():
        raise RuntimeError('route_lambdas needs moto configured with {"lambda": {"use_docker": False}}')
    resolved = {name: resolve_handler(handler) for name, handler in handlers.items()}
    with _lock:
        previous = {name: _routes[name] for name in resolved if name in _routes}
        _routes.update(resolved)
        _install()
    try:
        yield resolved
    finally:
        with _lock:
            for name in resolved:
                _routes.pop(name, None)
            _routes.update(previous)
            if not _routes:
                _uninstall()


# --------------------------------------------------------------------------- building the workflow in moto
def execution_role(name: str = LOCAL_ROLE) -> str:
    """An IAM role Lambda and Step Functions may assume (moto checks that a function's role exists)."""
    iam = boto3.client("iam")
    trust = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": ["lambda.amazonaws.com", "states.amazonaws.com"]},
            "Action": "sts:AssumeRole",
        }],
    }
    try:
        return iam.get_role(RoleName=name)["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        return iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]


def _placeholder_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.txt", "served in-process by local.lambda_router\n")
    return buffer.getvalue()


def create_function(name: str, handler: str, role_arn: str, *, environment: Mapping[str, str] | None = None,
                    timeout: int = 30, memory: int = 512) -> str:
    """Register a Lambda function in moto (its code never runs: route_lambdas serves it); returns its ARN."""
    response = boto3.client("lambda").create_function(
        FunctionName=name,
        Runtime="python3.13",
        Role=role_arn,
        Handler=handler,
        Code={"ZipFile": _placeholder_zip()},
        Timeout=timeout,
        MemorySize=memory,
        Environment={"Variables": dict(environment or {})},
    )
    return response["FunctionArn"]


def shrink_retries(definition: dict[str, Any], seconds: int = 1) -> dict[str, Any]:
    """Every Retrier (at any depth) waits at most `seconds`: moto sleeps for real; 1 s is the ASL minimum."""
    if isinstance(definition, dict):
        for key, value in definition.items():
            if key == "Retry" and isinstance(value, list):
                for retrier in value:
                    retrier["IntervalSeconds"] = seconds
                    retrier["MaxDelaySeconds"] = seconds
                    retrier["BackoffRate"] = 1.0
            else:
                shrink_retries(value, seconds)
    elif isinstance(definition, list):
        for value in definition:
            shrink_retries(value, seconds)
    return definition


def load_definition(path: Path, substitutions: Mapping[str, str], *, retry_seconds: int | None = None) -> str:
    """The ASL text with `${Name}` substituted as SAM's DefinitionSubstitutions would; all must be given."""
    text = path.read_text(encoding="utf-8")
    missing = sorted(set(_PLACEHOLDER.findall(text)) - set(substitutions))
    if missing:
        raise KeyError(f"no substitution for {', '.join(missing)} in {path.name}")
    text = _PLACEHOLDER.sub(lambda m: substitutions[m.group(1)], text)
    definition = json.loads(text)
    if retry_seconds is not None:
        shrink_retries(definition, retry_seconds)
    return json.dumps(definition)


@dataclass(frozen=True)
class LocalWorkflow:
    state_machine_arn: str  # IngestStateMachine (Standard)
    function_arns: dict[str, str]  # logical id -> ARN
    handlers: dict[str, str]  # function name -> handler string, ready for route_lambdas
    express_state_machine_arn: str = ""  # IngestExpressStateMachine: the same definition as Express

    @property
    def machines(self) -> dict[str, str]:
        """Logical id -> ARN of every state machine deployed (the targets of the template's rules)."""
        found = {"IngestStateMachine": self.state_machine_arn}
        if self.express_state_machine_arn:
            found["IngestExpressStateMachine"] = self.express_state_machine_arn
        return found


def deploy_workflow(*, environment: Mapping[str, str], asl: Path = INGEST_ASL,
                    name: str = "IngestStateMachine", retry_seconds: int | None = None) -> LocalWorkflow:
    """The four workflow functions and the ingest state machines (Standard and Express), as template.yaml declares
    them: one definition, two types."""
    role = execution_role()
    arns = {
        logical_id: create_function(logical_id, handler, role, environment=environment)
        for logical_id, handler in WORKFLOW_FUNCTIONS.items()
    }
    definition = load_definition(asl, {f"{k}Arn": v for k, v in arns.items()}, retry_seconds=retry_seconds)
    client = boto3.client("stepfunctions")
    standard, express = (
        client.create_state_machine(name=machine_name, definition=definition, roleArn=role, type=kind)
        for machine_name, kind in ((name, "STANDARD"), (f"{name}-express", "EXPRESS"))
    )
    return LocalWorkflow(standard["stateMachineArn"], arns, dict(WORKFLOW_FUNCTIONS),
                         express_state_machine_arn=express["stateMachineArn"])


def wait_for_execution(execution_arn: str, *, timeout: float = 60.0, poll: float = 0.05) -> dict[str, Any]:
    """moto runs executions in a background thread: poll until the execution leaves RUNNING."""
    client = boto3.client("stepfunctions")
    deadline = time.monotonic() + timeout
    while True:
        described = client.describe_execution(executionArn=execution_arn)
        if described["status"] != "RUNNING":
            return described
        if time.monotonic() > deadline:
            raise TimeoutError(f"{execution_arn} still RUNNING after {timeout} s")
        time.sleep(poll)
