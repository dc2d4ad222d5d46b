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


def count_response(status_code: int, function: str) -> None:
    """Responses by status code and class, in their own EMF blob so the dimensions stay off other metrics."""
    with single_metric(name="Responses", unit=MetricUnit.Count, value=1, namespace=_namespace()) as metric:
        metric.add_dimension(name="Function", value=function)
        metric.add_dimension(name="StatusCode", value=str(status_code))
        metric.add_dimension(name="StatusClass", value=f"{status_code // 100}xx")


def count_scanner_report(scanner: str) -> None:
    """Reports per scanner: the heartbeat behind the 'scanner went silent' alarm."""
    with single_metric(name="ScannerReports", unit=MetricUnit.Count, value=1, namespace=_namespace()) as metric:
        metric.add_dimension(name="Scanner", value=scanner[:250] or "unknown")
