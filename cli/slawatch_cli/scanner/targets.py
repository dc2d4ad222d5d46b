"""Where the operator commands point: an option, else an environment variable, else the stack's Outputs.

``--stack NAME`` (or ``$SLAWATCH_STACK``) reads the CloudFormation Outputs once, so an operator needs nothing
but the stack name; explicit options win so a single value can be overridden. boto3 errors are translated into
the CLI's exit codes here, in one place.
"""

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
)

from ..errors import ConfigError, CredentialError, ServiceError

ENV_STACK = "SLAWATCH_STACK"


@dataclass(frozen=True, slots=True)
class Target:
    output: str  # CloudFormation Output name
    option: str  # argparse dest
    flag: str  # command-line flag
    env: str  # environment fallback
    what: str  # for messages


TARGETS = {
    t.output: t
    for t in (
        Target("ApiUrl", "api_url", "--api-url", "SLAWATCH_API_URL", "API URL"),
        Target("UserPoolId", "user_pool_id", "--user-pool-id", "SLAWATCH_USER_POOL_ID", "user pool id"),
        Target("UserPoolClientId", "client_id", "--client-id", "SLAWATCH_CLIENT_ID", "app client id"),
        Target("RawBucketName", "bucket", "--bucket", "SLAWATCH_RAW_BUCKET", "raw report bucket"),
        Target(
            "StateMachineArn",
            "state_machine_arn",
            "--state-machine-arn",
            "SLAWATCH_STATE_MACHINE_ARN",
            "state machine ARN",
        ),
    )
}

_CREDENTIAL_CODES = {
    "AccessDenied",
    "AccessDeniedException",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "NotAuthorizedException",
}
_CONFIG_CODES = {
    "ResourceNotFoundException",
    "NoSuchBucket",
    "StateMachineDoesNotExist",
    "InvalidArn",
    "ValidationError",
    "ValidationException",
    "InvalidParameterException",
    "UserNotFoundException",
}


REGION_VARIABLES = ("SLAWATCH_REGION", "AWS_REGION", "AWS_DEFAULT_REGION")


def region_from(options: Any, environ: Mapping[str, str]) -> str | None:
    """``--region``, else the first of $SLAWATCH_REGION, $AWS_REGION, $AWS_DEFAULT_REGION (aws-cli's order for
    the last two; boto3 alone ignores AWS_REGION), else None: the profile's region, if any."""
    chosen = getattr(options, "region", None)
    return chosen or next((environ[name] for name in REGION_VARIABLES if environ.get(name)), None)


class AwsTargets:
    """Resolves target values and builds boto3 clients with adaptive retries (throttling is expected)."""

    def __init__(
        self,
        options: Any,
        environ: Mapping[str, str] = os.environ,
        session_factory: Callable[..., boto3.session.Session] = boto3.session.Session,
    ) -> None:
        self.options = options
        self.environ = environ
        self.stack = getattr(options, "stack", None) or environ.get(ENV_STACK)
        region = region_from(options, environ)
        self.session = session_factory(region_name=region) if region else session_factory()
        self._outputs: dict[str, str] | None = None

    @property
    def region(self) -> str:
        if not self.session.region_name:
            raise ConfigError("no AWS region: pass --region or set AWS_REGION (or AWS_DEFAULT_REGION)")
        return self.session.region_name

    def client(self, service: str) -> Any:
        config = Config(retries={"mode": "adaptive", "max_attempts": 10})
        with aws_errors(f"create {service} client"):
            return self.session.client(service, region_name=self.region, config=config)

    def get(self, output: str) -> str:
        target = TARGETS[output]
        value = getattr(self.options, target.option, None) or self.environ.get(target.env)
        if value:
            return value
        if not self.stack:
            raise ConfigError(
                f"{target.what} unknown: pass {target.flag}, set {target.env}, or name the stack "
                f"with --stack (or {ENV_STACK})"
            )
        outputs = self.outputs()
        if output not in outputs:
            raise ConfigError(f"stack {self.stack} has no Output {output}")
        return outputs[output]

    def outputs(self) -> dict[str, str]:
        if self._outputs is None:
            cfn = self.client("cloudformation")
            with aws_errors(f"describe stack {self.stack}"):
                stacks = cfn.describe_stacks(StackName=self.stack)["Stacks"]
            self._outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
        return self._outputs


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


@contextlib.contextmanager
def aws_errors(action: str) -> Iterator[None]:
    """Turn boto3 failures into one-line CLI errors with the right exit code."""
    try:
        yield
    except (NoCredentialsError, PartialCredentialsError):
        raise CredentialError(f"{action}: no AWS credentials (set AWS_PROFILE or AWS_ACCESS_KEY_ID/...)") from None
    except NoRegionError:
        raise ConfigError(f"{action}: no AWS region: pass --region or set AWS_REGION") from None
    except ClientError as exc:
        code = error_code(exc)
        message = exc.response.get("Error", {}).get("Message", "")
        if code in _CREDENTIAL_CODES:
            raise CredentialError(f"{action}: {code}: {message}") from None
        if code in _CONFIG_CODES:
            raise ConfigError(f"{action}: {code}: {message}") from None
        raise ServiceError(f"{action}: {code}: {message}") from None
    except EndpointConnectionError as exc:
        raise ServiceError(f"{action}: cannot reach {exc.kwargs.get('endpoint_url', 'AWS')}") from None
    except BotoCoreError as exc:
        raise ServiceError(f"{action}: {exc}") from None
