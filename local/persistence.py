"""The local stack's state across restarts: moto keeps everything in memory, so it is snapshotted to files.

What is kept, under `<state dir>/state/` (directory 0700, files 0600):
  cognito.json      the users of the pool (name, password, groups, enabled). The pool and app client ids need no
                    file: moto derives them from the pool's name and settings (MOTO_COGNITO_IDP_*_ID_STRATEGY=HASH),
                    so they are the same at every start while template.yaml's pool settings stay the same.
  dynamodb.jsonl    the table's items: a journal of changed items, appended every few seconds (moto_dynamodb.watch
                    names them), compacted at start.
  s3.json + s3/     every object version of the buckets (body, metadata, content type, tags, version id).
  executions.json   the workflow executions of both machines (machine, name, input, status, dates, output,
                    error). An execution RUNNING when the stack stopped is restored as ABORTED and started again,
                    on its machine, at the next start (its tasks are idempotent), as `<name>-resumed`.
What is not kept: execution histories, access tokens (sign in again), anything moto holds that the stack does
not create (a table or bucket you add yourself), and writes in the last interval before a kill -9.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
from moto.cognitoidp.models import cognitoidp_backends
from moto.dynamodb.models import dynamodb_backends
from moto.s3.models import s3_backends
from moto.stepfunctions.parser.api import ExecutionStatus
from moto.stepfunctions.parser.backend.execution import Execution
from moto.stepfunctions.parser.models import stepfunctions_parser_backends

from . import moto_dynamodb

ACCOUNT = "123456789012"  # moto's default account
INTERVAL_SECONDS = 2.0


def write_private(path: Path, text: str) -> None:
    """Atomically replace `path` with `text`, readable by the owner only."""
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)


class StateStore:
    """Restores the snapshot at start, then snapshots every INTERVAL_SECONDS and once more at close()."""

    def __init__(self, directory: Path, region: str, table: str, buckets: tuple[str, ...], pool_name: str, *,
                 fresh: bool = False) -> None:
        self.directory = directory / "state"
        if fresh:
            shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.directory, 0o700)
        (self.directory / "s3").mkdir(exist_ok=True, mode=0o700)
        self.region, self.table, self.buckets, self.pool_name = region, table, buckets, pool_name
        self._dirty: set[tuple[Any, Any]] = set()
        self._saved_objects: dict[str, dict[str, Any]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unwatch: Callable[[], None] | None = None
        self._lock = threading.Lock()
        self._s3_client: Any = None

    # ------------------------------------------------------------------ restore
    def restore(self, user_pool_id: str, state_machine_arn: str) -> list[dict[str, Any]]:
        """Put the snapshot back into moto; returns the executions that were interrupted (to start again)."""
        self._restore_users(user_pool_id)
        self._restore_items()
        self._restore_objects()
        return self._restore_executions(state_machine_arn)

    def _read(self, name: str, default: Any) -> Any:
        path = self.directory / name
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else default

    def _restore_users(self, pool_id: str) -> None:
        cognito = boto3.client("cognito-idp")
        for user in self._read("cognito.json", []):
            cognito.admin_create_user(UserPoolId=pool_id, Username=user["username"], MessageAction="SUPPRESS")
            cognito.admin_set_user_password(UserPoolId=pool_id, Username=user["username"],
                                            Password=user["password"], Permanent=True)
            for group in user["groups"]:
                cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=user["username"], GroupName=group)
            if not user.get("enabled", True):
                cognito.admin_disable_user(UserPoolId=pool_id, Username=user["username"])

    def _restore_items(self) -> None:
        path = self.directory / "dynamodb.jsonl"
        items: dict[str, dict[str, Any] | None] = {}
        if path.is_file():
            with path.open(encoding="utf-8") as journal:
                for line in journal:
                    if line.strip():
                        entry = json.loads(line)
                        items[entry["key"]] = entry.get("item")
        table = dynamodb_backends[ACCOUNT][self.region].get_table(self.table)
        kept = [item for item in items.values() if item is not None]
        for item in kept:
            table.put_item(item, overwrite=True)
        self._dirty.clear()  # restored, not changed
        write_private(path, "".join(json.dumps({"key": _key_text(i, table), "item": i}) + "\n" for i in kept))

    def _restore_objects(self) -> None:
        s3 = boto3.client("s3")
        backend = s3_backends[ACCOUNT]["aws"]
        for entry in self._read("s3.json", []):
            body = (self.directory / "s3" / entry["file"]).read_bytes()
            request: dict[str, Any] = {"Bucket": entry["bucket"], "Key": entry["key"], "Body": body,
                                       "Metadata": entry["metadata"]}
            if entry.get("contentType"):
                request["ContentType"] = entry["contentType"]
            written = s3.put_object(**request)
            if entry["tags"]:
                s3.put_object_tagging(Bucket=entry["bucket"], Key=entry["key"], VersionId=written.get("VersionId"),
                                      Tagging={"TagSet": entry["tags"]})
            if entry.get("versionId") and written.get("VersionId"):
                for fake in backend.get_bucket(entry["bucket"]).keys.getlist(entry["key"]):
                    if fake.version_id == written["VersionId"]:
                        fake._version_id = entry["versionId"]
            self._saved_objects[_object_id(entry)] = entry

    def _restore_executions(self, state_machine_arn: str) -> list[dict[str, Any]]:
        backend = stepfunctions_parser_backends[ACCOUNT][self.region]
        interrupted = []
        for record in self._read("executions.json", []):
            # Snapshots from before the Express machine name none: they are all the Standard machine's.
            record.setdefault("stateMachineArn", state_machine_arn)
            machine = backend.describe_state_machine(record["stateMachineArn"])
            status = record["status"]
            if status == "RUNNING":
                interrupted.append(record)
                status, record = "ABORTED", {**record, "error": "slawatch.LocalStackStopped",
                                             "cause": "the local stack stopped during this execution",
                                             "stopDate": datetime.now().astimezone().isoformat()}
            execution = Execution(
                name=record["name"], sm_type=machine.sm_type, role_arn=machine.roleArn,
                exec_arn=record["executionArn"], account_id=ACCOUNT, region_name=self.region,
                state_machine=machine, start_date=datetime.fromisoformat(record["startDate"]),
                cloud_watch_logging_session=None, input_data=record["input"], trace_header=None,
                activity_store={},
            )
            execution.exec_status = ExecutionStatus(status)
            execution.stop_date = datetime.fromisoformat(record["stopDate"]) if record.get("stopDate") else None
            execution.output = json.loads(record["output"]) if record.get("output") else None
            execution.error, execution.cause = record.get("error"), record.get("cause")
            machine.executions.append(execution)
        return interrupted

    # ------------------------------------------------------------------ snapshots
    def start(self) -> None:
        self._unwatch = moto_dynamodb.watch(lambda table, h, r: self._dirty.add((h, r))
                                            if table.name == self.table else None)
        self._thread = threading.Thread(target=self._loop, name="slawatch-local-snapshots", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(INTERVAL_SECONDS):
            self.snapshot()

    def close(self) -> None:
        """Stop the interval snapshots and take the last one."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=3)
        self.snapshot()
        if self._unwatch is not None:
            self._unwatch()

    def snapshot(self) -> None:
        with self._lock:  # the interval thread and close() never write the same files at once
            self._snapshot_users()
            self._snapshot_items()
            self._snapshot_objects()
            self._snapshot_executions()

    def _snapshot_users(self) -> None:
        backend = cognitoidp_backends[ACCOUNT][self.region]
        users = []
        for pool in backend.user_pools.values():
            if pool.name != self.pool_name:
                continue
            for user in pool.users.values():
                groups = sorted(g.group_name for g in pool.groups.values() if user in g.users)
                users.append({"username": user.username, "password": user.password, "groups": groups,
                              "enabled": user.enabled})
        write_private(self.directory / "cognito.json", json.dumps(users, indent=1))

    def _snapshot_items(self) -> None:
        table = dynamodb_backends[ACCOUNT][self.region].get_table(self.table)
        with moto_dynamodb.LOCK:
            dirty, self._dirty = self._dirty, set()
            lines = []
            for hash_value, range_value in dirty:
                item = table.get_item(hash_value, range_value)
                key = json.dumps([hash_value.to_json(), range_value.to_json() if range_value else None])
                lines.append(json.dumps({"key": key, "item": item.to_json()["Attributes"] if item else None}))
        if lines:
            descriptor = os.open(self.directory / "dynamodb.jsonl", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(descriptor, "a", encoding="utf-8") as journal:
                journal.write("\n".join(lines) + "\n")

    def _snapshot_objects(self) -> None:
        s3 = self._s3()
        entries = []
        for bucket in self.buckets:
            for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
                for version in page.get("Versions", []):
                    ref = {"Bucket": bucket, "Key": version["Key"], "VersionId": version["VersionId"]}
                    entry = {"bucket": bucket, "key": version["Key"], "versionId": version["VersionId"]}
                    saved = self._saved_objects.get(_object_id(entry))
                    if saved is None:
                        got = s3.get_object(**ref)
                        entry.update(metadata=got.get("Metadata", {}), contentType=got.get("ContentType"),
                                     file=f"{len(self._saved_objects):08d}.bin")
                        body = got["Body"].read()
                        write_private(self.directory / "s3" / entry["file"], "")
                        (self.directory / "s3" / entry["file"]).write_bytes(body)
                    else:
                        entry = dict(saved)
                    entry["tags"] = s3.get_object_tagging(**ref).get("TagSet", [])
                    self._saved_objects[_object_id(entry)] = entry
                    entries.append(entry)
        write_private(self.directory / "s3.json", json.dumps(entries, indent=1))

    def _s3(self) -> Any:
        """One client for every snapshot: making one costs more than the few calls a snapshot makes."""
        if self._s3_client is None:
            self._s3_client = boto3.client("s3")
        return self._s3_client

    def _snapshot_executions(self) -> None:
        backend = stepfunctions_parser_backends[ACCOUNT][self.region]
        records = []
        for machine in backend.state_machines:
            for execution in list(machine.executions):
                records.append({
                    "name": execution.name, "executionArn": execution.exec_arn, "stateMachineArn": machine.arn,
                    "input": execution.execution_input if isinstance(execution.execution_input, str)
                    else json.dumps(execution.execution_input),
                    "status": execution.status, "startDate": execution.start_date.isoformat(),
                    "stopDate": execution.stop_date.isoformat() if execution.stop_date else None,
                    "output": json.dumps(execution.output) if execution.output is not None else None,
                    "error": execution.error, "cause": execution.cause,
                })
        write_private(self.directory / "executions.json", json.dumps(records, indent=1))


def _object_id(entry: dict[str, Any]) -> str:
    return f"{entry['bucket']}/{entry['key']}@{entry.get('versionId')}"


def _key_text(item: dict[str, Any], table: Any) -> str:
    hash_value = item[table.hash_key_attr]
    range_value = item.get(table.range_key_attr) if table.range_key_attr else None
    return json.dumps([hash_value, range_value])
