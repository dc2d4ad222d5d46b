"""Cognito access tokens checked as API Gateway's REST Cognito authorizer checks them, for the local gateway."""

from __future__ import annotations

import time
from typing import Any

import requests
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet


class TokenVerifier:
    """Checks a Cognito access token like the REST Cognito authorizer: signature (JWKS), issuer, expiry, use."""

    def __init__(self, cognito_endpoint: str, region: str, user_pool_id: str, client_id: str):
        self.issuer = f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
        self.client_id = client_id
        jwks = requests.get(f"{cognito_endpoint.rstrip('/')}/{user_pool_id}/.well-known/jwks.json", timeout=10)
        jwks.raise_for_status()
        self._keys = KeySet.import_key_set(jwks.json())

    def claims(self, header: str | None) -> dict[str, Any] | None:
        """The verified claims, or None for a missing, forged, expired or non-access token."""
        if not header:
            return None
        token = header[7:] if header[:7].lower() == "bearer " else header
        try:
            decoded = jwt.decode(token.strip(), self._keys, algorithms=["RS256"])
        except (JoseError, ValueError):
            return None
        claims = decoded.claims
        if (
            claims.get("iss") != self.issuer
            or claims.get("token_use") != "access"
            or claims.get("client_id") != self.client_id
            or not isinstance(claims.get("exp"), int)
            or claims["exp"] <= time.time()
        ):
            return None
        return claims
