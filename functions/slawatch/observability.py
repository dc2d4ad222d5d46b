"""Powertools logger, metrics and tracer, configured once for every function.

Service name and metric namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE (set in
template.yaml Globals); the defaults here keep local runs and tests working without them.
"""

from __future__ import annotations

import os

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric

DEFAULT_NAMESPACE = "SlaWatch"
DEFAULT_SERVICE = "slawatch"


def _namespace() -> str:
    return os.environ.get("POWERTOOLS_METRICS_NAMESPACE", DEFAULT_NAMESPACE)


def make_logger() -> Logger:
    return Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", DEFAULT_SERVICE))


def make_metrics() -> Metrics:
    return Metrics(namespace=_namespace())


def make_tracer() -> Tracer:
    return Tracer(service=os.environ.get("POWERTOOLS_SERVICE_NAME", DEFAULT_SERVICE))


def count(metrics: Metrics, name: str, value: float = 1) -> None:
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def _single_metrics_disabled() -> bool:
    """single_metric flushes on its own; honour the switch that Metrics honours (local stack, demo)."""
    return os.environ.get("POWERTOOLS_METRICS_DISABLED", "false").strip().lower() in ("1", "true", "yes", "on")


def count_by(name: str, **dimensions: str) -> None:
    """One count with its own dimensions, in its own EMF blob so the dimensions stay off other metrics."""
    if _single_metrics_disabled():
        return
    with single_metric(name=name, unit=MetricUnit.Count, value=1, namespace=_namespace()) as metric:
        for dimension, value in dimensions.items():
            metric.add_dimension(name=dimension, value=value)


def count_response(status_code: int, function: str) -> None:
    """Responses by status code and class: what the dashboard's status panels read."""
    count_by("Responses", Function=function, StatusCode=str(status_code), StatusClass=f"{status_code // 100}xx")
