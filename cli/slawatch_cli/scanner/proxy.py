"""`api.proxy`: which proxy the scanner's requests (API and Cognito) go through; the same key as the PowerShell module.

* ``None`` (the default): the system proxy, which on Linux means ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``NO_PROXY``
  (requests reads them itself).
* ``"direct"``: no proxy, whatever the environment says.
* A URL (``http://proxy.example:3128``): every request through it, whatever the environment says.

requests lets environment proxies win over ``Session.proxies``, so a configured choice is enforced where requests
merges the environment in.
"""

from typing import Any

import requests

DIRECT = "direct"


class ConfiguredProxySession(requests.Session):
    """A session whose proxy is the configured one, not the environment's."""

    def __init__(self, proxy: str) -> None:
        super().__init__()
        self._proxies: dict[str, str] = {} if proxy == DIRECT else {"http": proxy, "https": proxy}

    def merge_environment_settings(self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any) -> dict[str, Any]:
        settings = super().merge_environment_settings(url, proxies, stream, verify, cert)
        settings["proxies"] = dict(self._proxies)
        return settings


def session_for(proxy: str | None) -> requests.Session:
    """A plain session for the system proxy, else one pinned to the configured proxy (or to none)."""
    return requests.Session() if proxy is None else ConfiguredProxySession(proxy)
