"""``slawatch users``: onboard a scanner host or a reader in one step, and list who can do what.

``add`` creates the user without an invitation e-mail, sets a generated strong password as *permanent* (a
scheduled scanner cannot answer Cognito's new-password challenge) and puts the user in its group. The password
is shown once, on stdout only, so it can be piped straight into a secret store. A half-created user is deleted
again.
"""

import contextlib
import logging
import secrets
import string
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from ..errors import ConfigError
from ..scanner.targets import aws_errors, error_code

log = logging.getLogger("slawatch_cli.users")

ROLE_GROUPS = {"scanner": "scanners", "reader": "readers"}
PASSWORD_LENGTH = 32
# Cognito accepts these symbols; this subset needs no quoting in a shell or a systemd EnvironmentFile.
_SYMBOLS = "-_.,:+=@%"
_ALPHABET = string.ascii_letters + string.digits + _SYMBOLS


def generate_password(length: int = PASSWORD_LENGTH) -> str:
    """Random password that satisfies every Cognito policy class (lower, upper, digit, symbol)."""
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        if (
            any(c.islower() for c in candidate)
            and any(c.isupper() for c in candidate)
            and any(c.isdigit() for c in candidate)
            and any(c in _SYMBOLS for c in candidate)
        ):
            return candidate


@dataclass(frozen=True, slots=True)
class NewUser:
    username: str
    group: str
    password: str


def add_user(cognito: Any, user_pool_id: str, username: str, role: str) -> NewUser:
    group = ROLE_GROUPS[role]
    password = generate_password()
    try:
        cognito.admin_create_user(UserPoolId=user_pool_id, Username=username, MessageAction="SUPPRESS")
    except ClientError as exc:
        if error_code(exc) == "UsernameExistsException":
            raise ConfigError(f"user {username!r} already exists") from None
        with aws_errors(f"create user {username}"):
            raise
    try:
        with aws_errors(f"set the password of {username}"):
            cognito.admin_set_user_password(
                UserPoolId=user_pool_id, Username=username, Password=password, Permanent=True
            )
        with aws_errors(f"add {username} to group {group}"):
            cognito.admin_add_user_to_group(UserPoolId=user_pool_id, Username=username, GroupName=group)
    except Exception:
        with contextlib.suppress(Exception):
            cognito.admin_delete_user(UserPoolId=user_pool_id, Username=username)
            log.warning("removed the half-created user %s", username)
        raise
    return NewUser(username, group, password)


def _on_user(cognito: Any, action: str, username: str, call: str, **kwargs: Any) -> None:
    """One admin call on one user; a user that does not exist is named, not a stack trace."""
    try:
        getattr(cognito, call)(Username=username, **kwargs)
    except ClientError as exc:
        if error_code(exc) == "UserNotFoundException":
            raise ConfigError(f"no user {username!r} in this user pool") from None
        with aws_errors(f"{action} {username}"):
            raise


def remove_user(cognito: Any, user_pool_id: str, username: str) -> None:
    """Delete the user: its tokens stop working at their expiry (at most an hour), its sign-ins at once."""
    _on_user(cognito, "remove user", username, "admin_delete_user", UserPoolId=user_pool_id)


def set_enabled(cognito: Any, user_pool_id: str, username: str, enabled: bool) -> None:
    """Disable (sign-ins refused, user kept) or enable again; a disabled scanner's reports wait in its spool."""
    call = "admin_enable_user" if enabled else "admin_disable_user"
    _on_user(cognito, "enable" if enabled else "disable", username, call, UserPoolId=user_pool_id)
    if not enabled:
        _on_user(cognito, "sign out", username, "admin_user_global_sign_out", UserPoolId=user_pool_id)


def reset_password(cognito: Any, user_pool_id: str, username: str) -> str:
    """A new generated permanent password (a scheduled scanner cannot answer a new-password challenge)."""
    password = generate_password()
    _on_user(
        cognito, "set the password of", username, "admin_set_user_password",
        UserPoolId=user_pool_id, Password=password, Permanent=True,
    )
    return password


def list_users(cognito: Any, user_pool_id: str) -> list[dict[str, Any]]:
    """Every user with its role(s), status and dates; roles come from the two groups."""
    roles: dict[str, list[str]] = {}
    with aws_errors("list group members"):
        for role, group in ROLE_GROUPS.items():
            paginator = cognito.get_paginator("list_users_in_group")
            try:
                for page in paginator.paginate(UserPoolId=user_pool_id, GroupName=group):
                    for user in page.get("Users", []):
                        roles.setdefault(user["Username"], []).append(role)
            except ClientError as exc:
                if error_code(exc) != "ResourceNotFoundException":
                    raise
                log.warning("group %s does not exist in %s", group, user_pool_id)
    users = []
    with aws_errors("list users"):
        for page in cognito.get_paginator("list_users").paginate(UserPoolId=user_pool_id):
            for user in page.get("Users", []):
                created = user.get("UserCreateDate")
                users.append(
                    {
                        "username": user["Username"],
                        "role": ",".join(roles.get(user["Username"], [])) or "-",
                        "status": user.get("UserStatus", ""),
                        "enabled": user.get("Enabled", True),
                        "created": created.isoformat() if hasattr(created, "isoformat") else created,
                    }
                )
    users.sort(key=lambda u: u["username"])
    return users
