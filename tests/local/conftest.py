"""One local stack per test module: moto server + the template-driven gateway, closed (and env restored) after."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from local import stack as local_stack


@pytest.fixture(scope="module")
def stack() -> Iterator[local_stack.LocalStack]:
    running = local_stack.start()
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(scope="module")
def scanner_token(stack: local_stack.LocalStack) -> str:
    return stack.sign_in("scanner-fs01", stack.add_user("scanner-fs01", "scanner"))


@pytest.fixture(scope="module")
def reader_token(stack: local_stack.LocalStack) -> str:
    return stack.sign_in("reader-alice", stack.add_user("reader-alice", "reader"))
