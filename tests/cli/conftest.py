"""Fixtures for the CLI tests: the shared vectors, the report schema, a local fake backend, a scanner config."""

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from slawatch_cli import logsetup
from tests.cli.cli_fakes import FakeBackend
from tests.cli.cli_vectors import REPO, load_vectors

REPORT_SCHEMA = REPO / "functions" / "slawatch" / "schemas" / "report.schema.json"


@pytest.fixture(scope="session")
def vectors() -> dict[str, Any]:
    return load_vectors()


@pytest.fixture(scope="session")
def report_validator() -> Draft4Validator:
    return Draft4Validator(json.loads(REPORT_SCHEMA.read_text(encoding="utf-8")))


@pytest.fixture
def backend() -> Iterator[FakeBackend]:
    fake = FakeBackend().start()
    yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def _clean_logging() -> Iterator[None]:
    """main() installs handlers on the 'slawatch' logger; never let one test's log file leak into the next."""
    yield
    logsetup.close_file()
    logger = logging.getLogger(logsetup.ROOT)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[..., Path]:
    """Write a scanner config under tmp_path; keyword overrides replace whole top-level blocks."""

    def write(folders: list[dict[str, Any]], **blocks: Any) -> Path:
        document: dict[str, Any] = {
            "api": {"url": "http://127.0.0.1:9/prod/reports", "maxRequestBytes": 5_242_880},
            "auth": {"region": "eu-west-1", "clientId": "test-client"},
            "delivery": {"maxAttempts": 3, "baseDelaySeconds": 0.01, "maxDelaySeconds": 0.05},
            "spool": {
                "directory": str(tmp_path / "state" / "spool"),
                "deadLetterDirectory": str(tmp_path / "state" / "dead-letter"),
                "maxFiles": 50,
                "maxBytes": 10_000_000,
            },
            "folders": folders,
        }
        document.update(blocks)
        path = tmp_path / "slawatch.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return path

    return write
