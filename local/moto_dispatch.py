"""moto 5.2.5's server finds the service of every request by listing its own package directory: a cache of that.

`DomainDispatcherApplication.get_backend_for_host` runs for each request, under the dispatcher's one lock, and
calls `backends.list_of_moto_modules()`, which lists moto's ~200 package directories and stats each one, then
tries ~150 URL patterns: ~3 ms of CPU per request, during which no other request can be dispatched. The
directories of an installed package do not change while it runs and the patterns are fixed at start, so both
answers are kept per host (only found ones: an unknown host still goes through moto's own code and message).
tests/unit/test_moto_dispatch.py checks that patched and unpatched moto pick the same backend.
"""

from __future__ import annotations

import functools
from typing import Any

from moto import backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication

_ORIGINAL: dict[str, Any] = {}


@functools.cache
def _modules() -> tuple[str, ...]:
    return tuple(_ORIGINAL["list_of_moto_modules"]())


def _get_backend_for_host(self: DomainDispatcherApplication, host: str | None) -> Any:
    found: dict[str | None, Any] = self.__dict__.setdefault("_slawatch_backends", {})
    backend = found.get(host)
    if backend is None:
        backend = _ORIGINAL["get_backend_for_host"](self, host)
        if backend is not None:
            found[host] = backend
    return backend


def apply() -> None:
    """Install the caches (idempotent; the caller serialises calls)."""
    if not _ORIGINAL:
        _ORIGINAL.update(list_of_moto_modules=backends.list_of_moto_modules,
                         get_backend_for_host=DomainDispatcherApplication.get_backend_for_host)
        backends.list_of_moto_modules = _modules  # type: ignore[assignment]
        DomainDispatcherApplication.get_backend_for_host = _get_backend_for_host  # type: ignore[method-assign]


def remove() -> None:
    """moto's own lookups again (the differential tests compare both)."""
    if _ORIGINAL:
        backends.list_of_moto_modules = _ORIGINAL.pop("list_of_moto_modules")  # type: ignore[assignment]
        DomainDispatcherApplication.get_backend_for_host = _ORIGINAL.pop("get_backend_for_host")  # type: ignore[method-assign]
