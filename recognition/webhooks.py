"""The award webhook: one signed POST per award and URL, retried with backoff, never sent twice.

A delivery row is created when an award is announced (unique per award and URL). Each attempt has a number;
a run claims attempt n with a conditional UPDATE (attempts n-1 -> n while the row is pending), so two runs of the
same attempt, on two workers or twice on one, never both send. Only the run that made attempt n schedules attempt
n+1; a delivered or failed row is never claimed again. A worker killed mid-attempt leaves the row pending with that
attempt claimed: `webhook_deliveries_resume` re-enqueues it (as the next attempt) once it is clearly abandoned.
Receivers dedupe on X-CS-Delivery, since a killed worker may have sent before it died.
"""

import datetime as dt
import hashlib
import hmac
import http.client
import json
import urllib.parse
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from recognition.models import Award, AwardSettings, DeliveryStatus, WebhookDelivery

MAX_ATTEMPTS = 5
TIMEOUT_SECONDS = 5
BACKOFF_BASE_SECONDS = 30  # attempt n+1 waits 30 s x 2^(n-1): 30 s, 1, 2, 4 min
# A pending row untouched for this long has no attempt in flight and none scheduled (the longest backoff is 4 min,
# a task's hard time limit 1 min): a worker died, or the broker lost the retry.
ABANDONED_AFTER = dt.timedelta(minutes=15)
USER_AGENT = "cs-platform-award-webhook/1"
ERROR_BODY_CHARS = 300


@dataclass(frozen=True)
class AttemptResult:
    """What one run did: `sent` whether it POSTed; `retry_in` seconds before the next attempt, or None."""

    sent: bool
    status: str
    retry_in: int | None = None


def webhook_signature(body: bytes, secret: str) -> str:
    """The X-CS-Signature value: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the team secret>."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def webhook_body(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def award_webhook_payload(award: Award) -> dict:
    """What the chat bot receives; the link is absolute when SITE_URL is set (the job runs outside any request)."""
    link = award.get_absolute_url()
    site_url = getattr(settings, "SITE_URL", "")
    return {
        "award_id": award.pk,
        "team": award.team.name,
        "team_id": award.team_id,
        "kind": award.kind,
        "period": award.period,
        "period_start": award.period_start.isoformat(),
        "period_end": award.period_end.isoformat(),
        "winner": str(award.winner) if award.winner_id else None,
        "score": _decimal_text(award.score),
        "margin": _decimal_text(award.margin),
        "citation": award.citation,
        "link": f"{site_url.rstrip('/')}{link}" if site_url else link,
    }


def _decimal_text(value) -> str | None:
    """As the API shows it: four decimals, the field's scale."""
    return None if value is None else str(Decimal(value).quantize(Decimal("0.0001")))


def webhook_delivery_create(*, award: Award) -> WebhookDelivery | None:
    """The award's delivery to its team's URL (created once; None when the team has no URL).

    The first attempt is enqueued after the commit, and only by the call that created the row, so announcing an
    award again neither creates a second row nor posts again.
    """
    from recognition.tasks_webhooks import webhook_delivery_send_task

    url = AwardSettings.objects.filter(team_id=award.team_id).values_list("webhook_url", flat=True).first()
    if not url:
        return None
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(award=award, url=url, payload=award_webhook_payload(award))
    except IntegrityError:
        return WebhookDelivery.objects.get(award=award, url=url)
    transaction.on_commit(lambda: webhook_delivery_send_task.delay(delivery.pk, 1))
    return delivery


def webhook_delivery_attempt(*, delivery_id: int, attempt: int) -> AttemptResult:
    """Make attempt number `attempt` of a delivery, unless another run already claimed it or it is settled."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, attempts=attempt - 1, attempts__lt=MAX_ATTEMPTS
    ).update(attempts=attempt, updated_at=now)
    if not claimed:
        status = WebhookDelivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
        return AttemptResult(sent=False, status=status or "missing")

    delivery = WebhookDelivery.objects.select_related("award").get(pk=delivery_id)
    secret = AwardSettings.objects.filter(team_id=delivery.award.team_id).values_list("webhook_secret", flat=True)
    error, permanent = _post(delivery, secret.first() or "")
    this_attempt = WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING, attempts=attempt)
    if error is None:
        this_attempt.update(
            status=DeliveryStatus.DELIVERED, delivered_at=timezone.now(), last_error="", updated_at=timezone.now()
        )
        return AttemptResult(sent=True, status=DeliveryStatus.DELIVERED)
    if permanent or attempt >= MAX_ATTEMPTS:
        this_attempt.update(status=DeliveryStatus.FAILED, last_error=error, updated_at=timezone.now())
        return AttemptResult(sent=True, status=DeliveryStatus.FAILED)
    this_attempt.update(last_error=error, updated_at=timezone.now())
    return AttemptResult(sent=True, status=DeliveryStatus.PENDING, retry_in=BACKOFF_BASE_SECONDS * 2 ** (attempt - 1))


def _post(delivery: WebhookDelivery, secret: str) -> tuple[str | None, bool]:
    """POST the stored payload; returns (error or None, whether the error is final).

    http.client rather than urllib: it sends the header names as written and never follows a redirect (a 3xx is
    a final error: the post is not replayed elsewhere).
    """
    body = webhook_body(delivery.payload)
    target = urllib.parse.urlsplit(delivery.url)
    connection_class = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    path = (target.path or "/") + (f"?{target.query}" if target.query else "")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-CS-Delivery": str(delivery.pk),
        "X-CS-Signature": webhook_signature(body, secret),
    }
    connection = connection_class(target.hostname, target.port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        detail = response.read(ERROR_BODY_CHARS).decode("utf-8", "replace").strip()
    except (OSError, http.client.HTTPException) as failure:  # refused, reset, DNS, TLS, timed out
        return f"{type(failure).__name__}: {failure}"[:ERROR_BODY_CHARS], False
    finally:
        connection.close()
    if 200 <= response.status < 300:
        return None, False
    error = f"HTTP {response.status}: {detail}" if detail else f"HTTP {response.status}"
    return error, not (response.status >= 500 or response.status == 429)


def webhook_deliveries_resume(*, now: dt.datetime | None = None) -> int:
    """Re-enqueue pending deliveries nobody is working on (a killed worker, a lost retry); returns how many.

    The next attempt number is claimed as usual, so a late original retry and this one cannot both send.
    """
    from recognition.tasks_webhooks import webhook_delivery_send_task

    cutoff = (now or timezone.now()) - ABANDONED_AFTER
    stale = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, updated_at__lt=cutoff, attempts__lt=MAX_ATTEMPTS
    ).values_list("pk", "attempts")
    rows = list(stale[:500])
    for delivery_id, attempts in rows:
        webhook_delivery_send_task.delay(delivery_id, attempts + 1)
    # Pending rows that used every attempt (the last one's worker died) are settled as failed.
    WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, updated_at__lt=cutoff, attempts__gte=MAX_ATTEMPTS
    ).update(status=DeliveryStatus.FAILED, updated_at=timezone.now())
    return len(rows)
