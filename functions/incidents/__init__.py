"""Incident tracking Lambdas: `report` applies every archived report (clean scans included) to the incidents,
`silence` runs on a schedule and flags hosts that stopped reporting. Both are thin over
slawatch.incident_service; what they share (store, notifier, settings) lives here, created once per execution
environment."""

from __future__ import annotations

import os
from functools import cache

from slawatch.incident_service import settings_from_environment
from slawatch.incident_store import IncidentStore
from slawatch.incidents import Settings
from slawatch.notify import Notifier, SnsNotifier

_notifier_override: list[Notifier] = []


@cache
def store() -> IncidentStore:
    return IncidentStore(os.environ["TABLE_NAME"])


@cache
def _sns_notifier() -> Notifier:
    return SnsNotifier(os.environ["INCIDENT_TOPIC_ARN"])


def notifier() -> Notifier:
    """The incident topic; the local stack installs its own (prints and appends to a file) with use_notifier."""
    return _notifier_override[-1] if _notifier_override else _sns_notifier()


def use_notifier(replacement: Notifier | None) -> None:
    _notifier_override.clear()
    if replacement is not None:
        _notifier_override.append(replacement)


def settings() -> Settings:
    return settings_from_environment()
