"""Telling people: digests of open alerts per depot or scope, e-mail and a signed webhook.

The sign-in digest and the alerts page read `digest_for(user)`. After a run that opened alerts, the
job sends one e-mail (when ALERTS_SMTP_HOST and ALERTS_EMAIL_TO are set) and one webhook POST (when
ALERTS_WEBHOOK_URL is set). A webhook body is signed with HMAC-SHA256 over "<timestamp>.<body>" using
ALERTS_WEBHOOK_SECRET, sent as `X-Relief-Signature: sha256=<hex>` with `X-Relief-Timestamp`; failed
attempts are retried with exponential backoff. Delivery failures are logged, never raised: a
broken mail server must not undo the checks.
"""

import hashlib
import hmac
import json
import logging
import smtplib
import time
import urllib.error
import urllib.request
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..network.models import Depot
from .models import Alert, AlertState
from .queries import scoped_alerts

log = logging.getLogger(__name__)


def digest_for(user) -> dict:
    """Counts of active alerts in the user's scope: {"total", "critical", "by_kind": {kind: n}}."""
    query = scoped_alerts(user, states=(AlertState.OPEN, AlertState.ACKNOWLEDGED)).subquery()
    rows = db.session.execute(
        select(query.c.kind, query.c.severity, func.count()).group_by(query.c.kind, query.c.severity)
    ).all()
    by_kind: dict = {}
    for kind, _severity, count in rows:
        by_kind[kind] = by_kind.get(kind, 0) + count
    return {
        "total": sum(by_kind.values()),
        "critical": sum(count for _kind, severity, count in rows if severity == "critical"),
        "by_kind": by_kind,
    }


def new_alert_payload(summary) -> dict:
    """The alerts a run opened, grouped per depot (the digest sent out)."""
    rows = db.session.execute(
        select(Alert, Depot.code)
        .join(Depot, Depot.id == Alert.depot_id)
        .where(Alert.first_seen_at >= summary.started_at, Alert.state == AlertState.OPEN)
        .order_by(Depot.code, Alert.id)
    ).all()
    depots: dict[str, list] = {}
    for alert, code in rows:
        depots.setdefault(code, []).append(
            {
                "id": alert.id,
                "kind": alert.kind.value,
                "severity": alert.severity.value,
                "sku": alert.item.sku,
                "batch": alert.batch.code if alert.batch else None,
                "quantity": alert.quantity,
                "norm": alert.norm,
                "expiry_date": alert.expiry_date.isoformat() if alert.expiry_date else None,
                "suggestion": alert.suggestion.value if alert.suggestion else None,
            }
        )
    return {
        "event": "alerts.opened",
        "check_date": summary.check_date.isoformat(),
        "opened": sum(len(v) for v in depots.values()),
        "depots": depots,
    }


def notify_new_alerts(summary) -> None:
    payload = new_alert_payload(summary)
    config = current_app.config
    if config.get("ALERTS_SMTP_HOST") and config.get("ALERTS_EMAIL_TO"):
        try:
            send_email(digest_subject(payload), digest_text(payload))
        except (OSError, smtplib.SMTPException) as error:
            log.error("alert e-mail not sent: %s", error)
    if config.get("ALERTS_WEBHOOK_URL"):
        post_webhook(config["ALERTS_WEBHOOK_URL"], payload)


def digest_subject(payload) -> str:
    return f"[relief-stock] {payload['opened']} new alerts ({payload['check_date']})"


def digest_text(payload) -> str:
    lines = []
    for code, alerts in payload["depots"].items():
        lines.append(f"{code}: {len(alerts)}")
        for a in alerts:
            what = a["batch"] or a["sku"]
            extra = f" norm {a['norm']}" if a["norm"] is not None else f" expires {a['expiry_date']}"
            lines.append(f"  - {a['severity']} {a['kind']} {what} qty {a['quantity']}{extra}")
    return "\n".join(lines) + "\n"


def send_email(subject: str, body: str) -> None:
    """Send one plain-text message through the configured SMTP server."""
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config.get("ALERTS_EMAIL_FROM") or "relief-stock@localhost"
    message["To"] = ", ".join(_recipients(config["ALERTS_EMAIL_TO"]))
    message.set_content(body)
    with smtplib.SMTP(
        config["ALERTS_SMTP_HOST"], int(config.get("ALERTS_SMTP_PORT") or 25), timeout=30
    ) as smtp:
        if config.get("ALERTS_SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("ALERTS_SMTP_USER"):
            smtp.login(config["ALERTS_SMTP_USER"], config.get("ALERTS_SMTP_PASSWORD") or "")
        smtp.send_message(message)


def _recipients(value) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item.strip()]


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value a receiver recomputes to trust the body."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def post_webhook(url: str, payload: dict) -> int:
    """POST `payload` as JSON; retry 5xx, 429 and connection errors with exponential backoff.

    Returns the number of attempts made (delivered or not)."""
    config = current_app.config
    attempts = int(config.get("ALERTS_WEBHOOK_ATTEMPTS", 5))
    backoff = float(config.get("ALERTS_WEBHOOK_BACKOFF", 2.0))
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    for attempt in range(1, attempts + 1):
        timestamp = str(int(time.time()))
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-Relief-Timestamp": timestamp,
                "X-Relief-Signature": sign(config.get("ALERTS_WEBHOOK_SECRET") or "", timestamp, body),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=15):
                return attempt
        except urllib.error.HTTPError as error:
            if error.code < 500 and error.code != 429:
                log.error("webhook refused (%s); not retried", error.code)
                return attempt
            log.warning("webhook attempt %d failed: %s", attempt, error.code)
        except (urllib.error.URLError, OSError) as error:
            log.warning("webhook attempt %d failed: %s", attempt, error)
        if attempt < attempts:
            time.sleep(backoff * 2 ** (attempt - 1))
    log.error("webhook not delivered after %d attempts", attempts)
    return attempts
