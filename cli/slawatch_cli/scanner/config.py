"""Load and validate the scanner configuration shared with the PowerShell scanner.

The JSON Schema in ``config/scanner-config.schema.json`` is the single source of truth for both scanners: this
module validates against it (draft-04), turns its errors into messages that name the field
(``folders[2].slaMinutes: must be an integer between 1 and 10080``) and takes every default from it, so the
two scanners cannot drift apart on what a missing setting means.
"""

import difflib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError

from ..errors import ConfigError

SCHEMA_ENV = "SLAWATCH_CONFIG_SCHEMA"
_WINDOWS_PATH = re.compile(r"^([A-Za-z]:[\\/]|\\\\)")
AGE_BASES = ("creation", "lastWrite", "newest")
_HINTS = {"scanner.heartbeatMinutes": " (0 sends every scan; otherwise at least the scan interval)"}


@dataclass(frozen=True, slots=True)
class FolderConfig:
    """One watched folder with the defaults applied."""

    path: str  # as configured: this string goes into the report's ``folder``
    scan_path: str  # what is opened: ``path`` made absolute against the config file's directory
    sla_minutes: int
    recurse: bool
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    include_hidden: bool
    age_basis: str
    max_files: int
    time_budget_seconds: float


@dataclass(frozen=True, slots=True)
class ApiConfig:
    url: str
    timeout_seconds: int
    max_request_bytes: int
    proxy: str | None = None  # None: the system proxy (HTTPS_PROXY, NO_PROXY); "direct"; or a proxy URL


@dataclass(frozen=True, slots=True)
class AuthConfig:
    region: str
    client_id: str
    endpoint: str  # explicit override, or the regional Cognito endpoint


@dataclass(frozen=True, slots=True)
class DeliveryConfig:
    max_attempts: int
    base_delay_seconds: float
    max_delay_seconds: float


@dataclass(frozen=True, slots=True)
class SpoolConfig:
    directory: Path
    dead_letter_directory: Path
    max_files: int
    max_bytes: int


@dataclass(frozen=True, slots=True)
class LogConfig:
    directory: Path | None  # None: log to stderr only (systemd's journal keeps it)
    max_bytes: int
    keep: int


@dataclass(frozen=True, slots=True)
class ScannerConfig:
    source: Path
    api: ApiConfig
    auth: AuthConfig
    delivery: DeliveryConfig
    spool: SpoolConfig
    log: LogConfig
    folders: tuple[FolderConfig, ...]
    heartbeat_minutes: int = 15  # scanner.heartbeatMinutes: an unchanged scan is sent this often (0: every scan)


def schema_path() -> Path:
    """The shared schema: ``$SLAWATCH_CONFIG_SCHEMA``, else the packaged one.

    ``schemas/scanner-config.schema.json`` in this package is a symbolic link to ``config/`` (one file in the
    repository); building a wheel copies its content, so an installed CLI carries the same schema.
    """
    override = os.environ.get(SCHEMA_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "schemas" / "scanner-config.schema.json"


def load_schema() -> dict[str, Any]:
    path = schema_path()
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the configuration schema {path} ({exc.strerror}); set {SCHEMA_ENV}") from exc


def default_regional_endpoint(region: str) -> str:
    return f"https://cognito-idp.{region}.amazonaws.com/"


def default_config_path(environ: Mapping[str, str] = os.environ, windows: bool = os.name == "nt") -> Path:
    """Where the configuration lives when neither ``--config`` nor ``$SLAWATCH_CONFIG`` says (as on Windows)."""
    if windows:
        return Path(environ.get("ProgramData") or r"C:\ProgramData") / "SlaWatch" / "config.json"
    return Path("/etc/slawatch/config.json")


def config_path(option: str | None, environ: Mapping[str, str] = os.environ) -> Path:
    """``--config``, else ``$SLAWATCH_CONFIG``, else the default location (which must then exist)."""
    chosen = option or environ.get("SLAWATCH_CONFIG")
    if chosen:
        return Path(chosen)
    default = default_config_path(environ)
    if not default.exists():
        raise ConfigError(f"no configuration: pass --config FILE, set SLAWATCH_CONFIG, or create {default}")
    return default


def load_config(path: str | os.PathLike[str], *, schema: Mapping[str, Any] | None = None) -> ScannerConfig:
    """Read, validate and resolve a configuration file; any problem is a ``ConfigError`` naming the field."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8-sig")  # tolerate the BOM Windows editors write
    except FileNotFoundError:
        raise ConfigError(f"configuration file not found: {source}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read configuration file {source}: {exc.strerror}") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    return parse_config(raw, source=source, schema=schema)


def parse_config(raw: Any, *, source: Path, schema: Mapping[str, Any] | None = None) -> ScannerConfig:
    """Validate an already parsed document and resolve defaults and paths."""
    schema = schema if schema is not None else load_schema()
    problems = validation_problems(raw, schema)
    if problems:
        raise ConfigError(f"{source}: " + "; ".join(problems))
    base = source.resolve().parent
    props = schema["properties"]
    api = _with_defaults(raw["api"], props["api"])
    auth = raw["auth"]
    delivery = _with_defaults(raw.get("delivery", {}), props["delivery"])
    spool = _with_defaults(raw.get("spool", {}), props["spool"])
    log = _with_defaults(raw.get("log", {}), props["log"])
    scanner = _with_defaults(raw.get("scanner", {}), props["scanner"])
    folder_defaults = _with_defaults(raw.get("defaults", {}), schema["definitions"]["folderOptions"])

    posix = os.name != "nt"
    errors: list[str] = []
    if posix:
        for field, value in (
            ("spool.directory", spool.get("directory")),
            ("spool.deadLetterDirectory", spool.get("deadLetterDirectory")),
            ("log.directory", log.get("directory")),
        ):
            if value and _WINDOWS_PATH.match(value):
                errors.append(f"{field}: {value!r} is a Windows path; give a directory on this host")
    folders: list[FolderConfig] = []
    for index, entry in enumerate(raw["folders"]):
        merged = {**folder_defaults, **entry}
        if posix and _WINDOWS_PATH.match(merged["path"]):
            errors.append(f"folders[{index}].path: {merged['path']!r} is a Windows path; this scanner runs on Linux")
            continue
        folders.append(
            FolderConfig(
                path=merged["path"],
                scan_path=str(base / os.path.expanduser(merged["path"])),
                sla_minutes=merged["slaMinutes"],
                recurse=merged["recurse"],
                include=tuple(merged["include"]),
                exclude=tuple(merged["exclude"]),
                include_hidden=merged["includeHidden"],
                age_basis=merged["ageBasis"],
                max_files=merged["maxFiles"],
                time_budget_seconds=float(merged["timeBudgetSeconds"]),
            )
        )
    if errors:
        raise ConfigError(f"{source}: " + "; ".join(errors))

    spool_dir = _resolve_dir(base, spool.get("directory")) or default_state_dir() / "spool"
    dead_dir = _resolve_dir(base, spool.get("deadLetterDirectory")) or spool_dir.parent / "dead-letter"
    return ScannerConfig(
        source=source,
        api=ApiConfig(api["url"], api["timeoutSeconds"], api["maxRequestBytes"], api.get("proxy")),
        auth=AuthConfig(
            region=auth["region"],
            client_id=auth["clientId"],
            endpoint=auth.get("endpoint") or default_regional_endpoint(auth["region"]),
        ),
        delivery=DeliveryConfig(
            delivery["maxAttempts"], float(delivery["baseDelaySeconds"]), float(delivery["maxDelaySeconds"])
        ),
        spool=SpoolConfig(spool_dir, dead_dir, spool["maxFiles"], spool["maxBytes"]),
        log=LogConfig(_resolve_dir(base, log.get("directory")), log["maxBytes"], log["keep"]),
        folders=tuple(folders),
        heartbeat_minutes=scanner["heartbeatMinutes"],
    )


def default_state_dir() -> Path:
    """Where spool, dead letters and the token cache live when the config does not say.

    systemd's ``StateDirectory=`` sets ``$STATE_DIRECTORY``; otherwise the XDG state home of the running user.
    """
    if os.environ.get("STATE_DIRECTORY"):
        return Path(os.environ["STATE_DIRECTORY"].split(":")[0])
    xdg = os.environ.get("XDG_STATE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "state") / "slawatch"


def _resolve_dir(base: Path, value: str | None) -> Path | None:
    return base / os.path.expanduser(value) if value else None


def _with_defaults(values: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    """Fill absent properties from the schema's ``default`` keywords (the one place defaults are written)."""
    merged = {name: prop["default"] for name, prop in schema.get("properties", {}).items() if "default" in prop}
    merged.update(values)
    return merged


# ------------------------------------------------------------------------------------------- error messages


def validation_problems(document: Any, schema: Mapping[str, Any]) -> list[str]:
    """All schema violations as ``field.path: what is wrong`` lines, sorted by field."""
    validator = Draft4Validator(schema)
    problems: set[str] = set()
    for error in validator.iter_errors(document):
        problems.update(_describe(error))
    return sorted(problems)


def _field(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _describe(error: ValidationError) -> list[str]:
    path = list(error.absolute_path)
    here = _field(path) or "(top level)"
    kind = error.validator
    if kind == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        return [f"{_field([*path, name])}: is required" for name in error.validator_value if name not in instance]
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extras = sorted(set(error.instance) - known) if isinstance(error.instance, dict) else []
        return [f"{_field([*path, name])}: is not a known setting{_did_you_mean(name, known)}" for name in extras]
    if kind in ("type", "minimum", "maximum"):
        return [f"{here}: {_expectation(error.schema)}{_HINTS.get(here, '')}"]
    if kind == "enum":
        return [f"{here}: must be one of " + ", ".join(str(v) for v in error.validator_value)]
    if kind == "pattern":
        leaf = path[-1] if path else ""
        if leaf in ("url", "endpoint"):
            return [f"{here}: must be an https:// URL (http:// only for 127.0.0.1 or localhost)"]
        if leaf == "region":
            return [f"{here}: must be an AWS region such as eu-west-1"]
        return [f"{here}: does not match the pattern {error.validator_value}"]
    if kind == "minLength":
        size = error.validator_value
        return [f"{here}: must not be empty" if size == 1 else f"{here}: must be at least {size} characters"]
    if kind == "maxLength":
        return [f"{here}: must be at most {error.validator_value} characters"]
    if kind == "minItems":
        return [f"{here}: must list at least {error.validator_value} item(s)"]
    return [f"{here}: {error.message}"]


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    """`` (did you mean "slaMinutes"?)`` for a near miss: a typo, another case, snake_case for camelCase."""
    folded = {key.lower().replace("_", ""): key for key in known}
    match = folded.get(name.lower().replace("_", "").replace("-", ""))
    if match is None:
        close = difflib.get_close_matches(name.lower(), list(folded), n=1, cutoff=0.75)
        match = folded[close[0]] if close else None
    return f' (did you mean "{match}"?)' if match else ""


def _expectation(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type")
    low, high = schema.get("minimum"), schema.get("maximum")
    if kind in ("integer", "number"):
        noun = "an integer" if kind == "integer" else "a number"
        if low is not None and high is not None:
            return f"must be {noun} between {low} and {high}"
        if low is not None:
            return f"must be {noun} of at least {low}"
        if high is not None:
            return f"must be {noun} of at most {high}"
        return f"must be {noun}"
    names = {
        "boolean": "true or false",
        "string": "a string",
        "array": "a list",
        "object": "an object",
        "null": "null",
    }
    if isinstance(kind, list):
        return "must be " + " or ".join(names.get(k, k) for k in kind)
    return f"must be {names.get(kind, kind)}"
