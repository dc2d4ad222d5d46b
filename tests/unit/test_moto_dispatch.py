"""local/moto_dispatch.py against moto's own lookup: the same backend for every host, without listing directories."""

from __future__ import annotations

import os

from moto import backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from local import moto_dispatch

HOSTS = ["dynamodb", "s3.eu-west-1.amazonaws.com", "cognito-idp.eu-west-1.amazonaws.com", "moto_api",
         "states.eu-west-1.amazonaws.com", "lambda.eu-west-1.amazonaws.com", "bucket.s3.amazonaws.com",
         "iam.amazonaws.com", "awslambda", None, "nothing.example.org"]


def _backends() -> list[object]:
    dispatcher = DomainDispatcherApplication(create_backend_app)
    return [dispatcher.get_backend_for_host(host) for host in HOSTS * 2]


def test_every_host_gets_the_backend_moto_picks():
    patched = _backends()
    moto_dispatch.remove()
    try:
        plain = _backends()
        modules = list(backends.list_of_moto_modules())
    finally:
        moto_dispatch.apply()
    assert patched == plain
    assert patched[0] == "dynamodb" and patched[HOSTS.index(None)] is None
    assert list(backends.list_of_moto_modules()) == modules


def test_a_known_host_is_found_without_listing_the_package(monkeypatch):
    dispatcher = DomainDispatcherApplication(create_backend_app)
    dispatcher.get_backend_for_host("dynamodb")
    listed = []
    monkeypatch.setattr(os, "listdir", lambda *a: listed.append(a) or [])
    assert dispatcher.get_backend_for_host("dynamodb") == "dynamodb"
    assert dispatcher.get_backend_for_host("s3.eu-west-1.amazonaws.com") == "s3"
    assert listed == []
