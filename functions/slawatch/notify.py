"""What a person is told when an incident opens or resolves, and how it is sent (SNS).

One message per edge: a readable subject and text for e-mail, the incident as JSON in the `incident` message
attribute for machines (with `event` and `kind` attributes that subscription filter policies can match), and
an AWS Chatbot custom notification for the `https` protocol, which is how Chatbot subscribes to a topic (Slack,
Microsoft Teams). `MessageStructure=json` sends each protocol its own body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import boto3

from slawatch.incident_store import public
from slawatch.incidents import KIND_SILENT, OPENED, Incident
from slawatch.retry import retry_call
from slawatch.timestamps import age_text, format_timestamp, parse_timestamp

SUBJECT_CHARS = 99  # SNS: ASCII, no line breaks, under 100 characters
_RESOLUTIONS = {"clean": "the folder scans clean again", "unwatched": "the folder is no longer in the scanner's "
                "configuration", "reported": "the scanner reported again"}


@dataclass(frozen=True)
class Notification:
    event: str  # opened | resolved
    subject: str
    text: str
    incident: dict[str, Any]  # the public incident, also the JSON message attribute

    def as_json(self) -> str:
        return json.dumps({"event": self.event, "subject": self.subject, "incident": self.incident},
                          ensure_ascii=False, sort_keys=True)


class Notifier(Protocol):
    def send(self, notification: Notification) -> None: ...


def notification(event: str, incident: Incident, now: datetime) -> Notification:
    return Notification(event, _subject(event, incident), _text(event, incident, now), public(incident))


def details_command(incident: Incident) -> str:
    return f"slawatch status --host {_shell_word(incident.host)}"


def _subject(event: str, incident: Incident) -> str:
    host = incident.host_name or incident.host
    if incident.kind == KIND_SILENT:
        what = f"scanner {host} silent" if event == OPENED else f"scanner {host} reporting again"
    elif event == OPENED:
        what = f"{_stuck(incident)} in {incident.folder} on {host}"
    else:
        what = f"{incident.folder} on {host} recovered"
    text = f"slawatch {event.upper()}: {what}"
    ascii_only = "".join(c if " " <= c <= "~" else "?" for c in text)
    return ascii_only if len(ascii_only) <= SUBJECT_CHARS else ascii_only[: SUBJECT_CHARS - 3] + "..."


def _stuck(incident: Incident) -> str:
    if incident.reason in ("missing", "unreadable"):
        return f"folder {incident.reason}"
    return f"{incident.files_stuck} file{'s' if incident.files_stuck != 1 else ''} stuck"


def _text(event: str, incident: Incident, now: datetime) -> str:
    host = incident.host if not incident.host_name else f"{incident.host_name} (login {incident.host})"
    lines = [f"slawatch incident {event.upper()}", ""]
    if incident.kind == KIND_SILENT:
        ago = age_text((now - parse_timestamp(incident.last_seen)).total_seconds())
        lines += [f"Scanner host:  {host}", f"Last report:   {incident.last_seen} ({ago} ago)",
                  f"Silent since:  {incident.opened_at}"]
    else:
        lines += [f"Folder:        {incident.folder}  (SLA {incident.sla} min)", f"Scanner host:  {host}"]
        if event == OPENED:
            lines.append(f"Files stuck:   {_stuck(incident)}")
            if incident.oldest_file and incident.oldest_since:
                age = age_text((now - parse_timestamp(incident.oldest_since)).total_seconds())
                lines.append(f"Oldest file:   {incident.oldest_file}, {age} old (since {incident.oldest_since})")
        lines += [f"Open since:    {incident.opened_at} (first scan that saw it)",
                  f"Last seen:     {incident.last_seen}"]
    if event != OPENED:
        duration = age_text((parse_timestamp(incident.resolved_at or format_timestamp(now))
                             - parse_timestamp(incident.opened_at)).total_seconds())
        lines += [f"Resolved:      {incident.resolved_at}: {_RESOLUTIONS.get(incident.resolution or '', '')}",
                  f"Open for:      {duration}"]
        if incident.flaps:
            lines.append(f"Flapped:       {incident.flaps} time(s) while recovering")
    lines += ["", f"Details:       {details_command(incident)}", f"Incident id:   {incident.incident_id}"]
    return "\n".join(lines) + "\n"


def chatbot_message(note: Notification) -> dict[str, Any]:
    """AWS Chatbot's custom notification format (Slack / Teams channels subscribed to the topic)."""
    title, _, body = note.text.partition("\n\n")
    details = body.rsplit("\n\n", 1)
    return {
        "version": "1.0",
        "source": "custom",
        "content": {
            "textType": "client-markdown",
            "title": note.subject,
            "description": "```\n" + details[0] + "\n```",
            "nextSteps": [line.split(":", 1)[1].strip() for line in details[-1].splitlines()
                          if line.startswith("Details:")],
        },
        "metadata": {"eventType": f"incident.{note.event}", "summary": title},
    }


class SnsNotifier:
    """Publishes to the incident topic, retrying throttling and service errors with the one retry helper."""

    def __init__(self, topic_arn: str, client: Any | None = None):
        self.topic_arn = topic_arn
        self.client = client or boto3.client("sns")

    def send(self, note: Notification) -> None:
        message = {"default": note.text, "email": note.text, "https": json.dumps(chatbot_message(note))}
        attributes = {
            "event": {"DataType": "String", "StringValue": note.event},
            "kind": {"DataType": "String", "StringValue": str(note.incident.get("kind"))},
            "incident": {"DataType": "String", "StringValue": json.dumps(note.incident, ensure_ascii=False)},
        }
        retry_call(
            lambda: self.client.publish(TopicArn=self.topic_arn, Subject=note.subject, Message=json.dumps(message),
                                        MessageStructure="json", MessageAttributes=attributes),
            should_retry=_retryable,
        )


def _retryable(exc: Exception) -> bool:
    code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
    return code in ("Throttling", "ThrottlingException", "InternalError", "KMSThrottling", "ServiceUnavailable")


def _shell_word(text: str) -> str:
    safe = all(c.isalnum() or c in "-_.@" for c in text)
    return text if safe else "'" + text.replace("'", "'\"'\"'") + "'"
