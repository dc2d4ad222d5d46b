"""One local stack per test module: moto server + the template-driven gateway, closed (and env restored) after."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests

from local import stack as local_stack


@pytest.fixture(scope="module")
def stack() -> Iterator[local_stack.LocalStack]:
    running = local_stack.start()
    try:
        yield running
    finally:
        running.close()


def sign_in(stack: local_stack.LocalStack, username: str, password: str) -> str:
    """Cognito InitiateAuth exactly as the scanners send it: an unsigned JSON POST."""
    response = requests.post(
        f"{stack.moto_url}/",
        headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
                 "Content-Type": "application/x-amz-json-1.1"},
        data=json.dumps({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": stack.client_id,
                         "AuthParameters": {"USERNAME": username, "PASSWORD": password}}),
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["AuthenticationResult"]["AccessToken"]


@pytest.fixture(scope="module")
def scanner_token(stack: local_stack.LocalStack) -> str:
    return sign_in(stack, "scanner-fs01", stack.add_user("scanner-fs01", "scanner"))


@pytest.fixture(scope="module")
def reader_token(stack: local_stack.LocalStack) -> str:
    return sign_in(stack, "reader-alice", stack.add_user("reader-alice", "reader"))
