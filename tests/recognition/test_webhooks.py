"""The award webhook against a real HTTP server on 127.0.0.1: signed, delivered once, retried after 5xx and network
errors with the same delivery id, given up after the limit, never sent again once delivered or failed."""

import datetime as dt
import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from recognition import webhooks
from recognition.announce import award_announce
from recognition.models import AwardSettings, DeliveryStatus, WebhookDelivery
from recognition.tasks_webhooks import webhook_delivery_send_task
from tests.recognition.awards_breakdowns import simple_award

SECRET = "team-secret-0123456789"


class Receiver:
    """A chat bot stand-in: records each POST and answers with the next scripted status (then 200)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        self.delay = 0.0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.requests.append({"headers": self.headers, "body": body, "path": self.path})
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                time.sleep(receiver.delay)
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"nope")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.close()


@pytest.fixture
def hooked_team(team, receiver):
    AwardSettings.objects.create(team=team, webhook_url=receiver.url, webhook_secret=SECRET)
    return team


@pytest.fixture
def award(hooked_team, agent, second_agent):
    return simple_award(hooked_team, agent, second_agent)


@pytest.fixture
def fast_retries(monkeypatch):
    monkeypatch.setattr(webhooks, "MAX_ATTEMPTS", 3)
    monkeypatch.setattr(webhooks, "TIMEOUT_SECONDS", 1)


def announce(award, capture):
    with capture(execute=True):
        award_announce(award=award)


def test_an_announced_award_is_posted_once_signed(award, receiver, agent, django_capture_on_commit_callbacks):
    announce(award, django_capture_on_commit_callbacks)
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    delivery = WebhookDelivery.objects.get(award=award)
    expected = "sha256=" + hmac.new(SECRET.encode(), request["body"], hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request["headers"]["X-CS-Signature"], expected)
    assert request["headers"]["X-CS-Delivery"] == str(delivery.pk)
    assert request["headers"]["Content-Type"].startswith("application/json")
    assert {"X-CS-Signature", "X-CS-Delivery"} <= set(request["headers"].keys())  # the names as documented
    payload = json.loads(request["body"])
    assert payload == {
        "award_id": award.pk,
        "team": "Pre-sales",
        "team_id": award.team_id,
        "kind": "weekly",
        "period": "2026-W47",
        "period_start": "2026-11-16",
        "period_end": "2026-11-22",
        "winner": str(agent),
        "score": "100.0000",
        "margin": "100.0000",
        "citation": "",
        "link": f"/recognition/awards/{award.pk}/",
    }
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.DELIVERED, 1, "")
    assert delivery.delivered_at is not None


def test_the_link_is_absolute_when_the_site_url_is_known(award, receiver, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://cs.example.com/"
    announce(award, django_capture_on_commit_callbacks)
    assert json.loads(receiver.requests[0]["body"])["link"] == f"https://cs.example.com/recognition/awards/{award.pk}/"


def test_a_tampered_body_does_not_verify(award, receiver, django_capture_on_commit_callbacks):
    announce(award, django_capture_on_commit_callbacks)
    request = receiver.requests[0]
    tampered = request["body"].replace(b'"weekly"', b'"special"')
    forged = "sha256=" + hmac.new(SECRET.encode(), tampered, hashlib.sha256).hexdigest()
    assert forged != request["headers"]["X-CS-Signature"]


def test_announcing_again_neither_adds_a_delivery_nor_posts_again(award, receiver, django_capture_on_commit_callbacks):
    announce(award, django_capture_on_commit_callbacks)
    announce(award, django_capture_on_commit_callbacks)
    assert WebhookDelivery.objects.filter(award=award).count() == 1
    assert len(receiver.requests) == 1


def test_running_the_task_twice_delivers_once(award, receiver):
    delivery = webhooks.webhook_delivery_create(award=award)  # (the commit hook does not run in this test)
    assert webhook_delivery_send_task(delivery.pk, 1) == DeliveryStatus.DELIVERED
    assert webhook_delivery_send_task(delivery.pk, 1) == DeliveryStatus.DELIVERED
    assert webhook_delivery_send_task(delivery.pk, 2) == DeliveryStatus.DELIVERED  # a late retry: nothing to do
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_same_attempt_at_once_send_once(team, agent, receiver):
    from django.db import connection

    AwardSettings.objects.create(team=team, webhook_url=receiver.url, webhook_secret=SECRET)
    # Created directly: webhook_delivery_create would post at once (no surrounding transaction here).
    delivery = WebhookDelivery.objects.create(award=simple_award(team, agent), url=receiver.url, payload={"a": 1})
    receiver.delay = 0.5  # the first POST is still in flight when the second run tries to claim
    start = threading.Barrier(2)
    results = []

    def worker():
        start.wait()
        try:
            results.append(webhooks.webhook_delivery_attempt(delivery_id=delivery.pk, attempt=1))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert len(receiver.requests) == 1
    assert sorted(result.sent for result in results) == [False, True]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)


def test_a_500_is_retried_with_the_same_delivery_id_then_delivered(award, receiver, fast_retries):
    receiver.statuses = [500]
    delivery = webhooks.webhook_delivery_create(award=award)
    assert webhook_delivery_send_task(delivery.pk, 1) == DeliveryStatus.PENDING  # attempt 2 ran eagerly after it
    assert [r["headers"]["X-CS-Delivery"] for r in receiver.requests] == [str(delivery.pk)] * 2
    assert receiver.requests[0]["body"] == receiver.requests[1]["body"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.DELIVERED, 2, "")


def test_the_retry_waits_longer_each_time(award, receiver, monkeypatch):
    receiver.statuses = [503]
    delivery = webhooks.webhook_delivery_create(award=award)
    first = webhooks.webhook_delivery_attempt(delivery_id=delivery.pk, attempt=1)
    assert first.retry_in == webhooks.BACKOFF_BASE_SECONDS
    receiver.statuses = [503]
    second = webhooks.webhook_delivery_attempt(delivery_id=delivery.pk, attempt=2)
    assert second.retry_in == 2 * webhooks.BACKOFF_BASE_SECONDS
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.PENDING, 2, "HTTP 503: nope")


def test_it_gives_up_after_the_limit(award, receiver, fast_retries):
    receiver.statuses = [500, 502, 503, 500, 500]
    delivery = webhooks.webhook_delivery_create(award=award)
    webhook_delivery_send_task(delivery.pk, 1)
    assert len(receiver.requests) == 3
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.FAILED, 3, "HTTP 503: nope")
    assert webhook_delivery_send_task(delivery.pk, 4) == DeliveryStatus.FAILED
    assert len(receiver.requests) == 3


@pytest.mark.parametrize(("status", "posts", "final"), [(404, 1, "failed"), (400, 1, "failed"), (429, 2, "delivered")])
def test_4xx_fails_at_once_except_429(award, receiver, fast_retries, status, posts, final):
    receiver.statuses = [status]
    delivery = webhooks.webhook_delivery_create(award=award)
    webhook_delivery_send_task(delivery.pk, 1)
    assert len(receiver.requests) == posts
    delivery.refresh_from_db()
    assert delivery.status == final
    if final == "failed":
        assert delivery.last_error == f"HTTP {status}: nope" and delivery.attempts == 1


def test_a_redirect_is_not_followed(award, receiver, fast_retries):
    receiver.statuses = [302]
    delivery = webhooks.webhook_delivery_create(award=award)
    webhook_delivery_send_task(delivery.pk, 1)
    delivery.refresh_from_db()
    assert len(receiver.requests) == 1 and delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error.startswith("HTTP 302")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_network_errors_are_retried_then_given_up(team, agent, fast_retries):
    AwardSettings.objects.create(
        team=team, webhook_url=f"http://127.0.0.1:{_closed_port()}/hook", webhook_secret=SECRET
    )
    delivery = webhooks.webhook_delivery_create(award=simple_award(team, agent))
    webhook_delivery_send_task(delivery.pk, 1)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert "refused" in delivery.last_error.lower()


def test_a_slow_receiver_times_out_and_is_retried(award, receiver, fast_retries, monkeypatch):
    monkeypatch.setattr(webhooks, "TIMEOUT_SECONDS", 0.3)
    receiver.delay = 0.6
    delivery = webhooks.webhook_delivery_create(award=award)
    result = webhooks.webhook_delivery_attempt(delivery_id=delivery.pk, attempt=1)
    assert result.retry_in is not None
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and "timed out" in delivery.last_error.lower()


def test_no_url_no_delivery(team, agent, django_capture_on_commit_callbacks):
    AwardSettings.objects.create(team=team, webhook_url="", webhook_secret="")
    announce(simple_award(team, agent), django_capture_on_commit_callbacks)
    assert not WebhookDelivery.objects.exists()


def test_an_award_without_a_winner_is_not_posted(hooked_team, agent, receiver, django_capture_on_commit_callbacks):
    from tests.recognition.awards_breakdowns import award_with, candidate

    nobody = award_with(
        hooked_team,
        [
            candidate(
                agent, conversations=3, csat=4.0, norm_conversations=1, norm_csat=1, ineligible=["min_conversations"]
            )
        ],
    )
    announce(nobody, django_capture_on_commit_callbacks)
    assert not WebhookDelivery.objects.exists() and receiver.requests == []


def test_abandoned_deliveries_are_resumed_and_recent_ones_left_alone(award, receiver, agent, team):
    delivery = webhooks.webhook_delivery_create(award=award)
    # A worker claimed attempt 1 and died: the row is pending, attempt 1 taken, untouched for a while.
    long_ago = timezone.now() - webhooks.ABANDONED_AFTER - dt.timedelta(minutes=1)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=1, updated_at=long_ago)
    recent = webhooks.webhook_delivery_create(award=simple_award(team, agent, period="2026-W48"))
    assert webhooks.webhook_deliveries_resume() == 1
    delivery.refresh_from_db()
    recent.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)
    assert (recent.status, recent.attempts) == (DeliveryStatus.PENDING, 0)
    assert webhooks.webhook_deliveries_resume() == 0  # delivered: never again
    assert len(receiver.requests) == 1


def test_a_delivery_whose_last_attempt_died_is_settled_as_failed(award, receiver):
    delivery = webhooks.webhook_delivery_create(award=award)
    long_ago = timezone.now() - webhooks.ABANDONED_AFTER - dt.timedelta(minutes=1)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=webhooks.MAX_ATTEMPTS, updated_at=long_ago)
    assert webhooks.webhook_deliveries_resume() == 0
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and receiver.requests == []


def test_the_secret_in_force_when_sending_signs(award, receiver, team):
    delivery = webhooks.webhook_delivery_create(award=award)
    AwardSettings.objects.filter(team=team).update(webhook_secret="rotated-secret-0000000")
    webhook_delivery_send_task(delivery.pk, 1)
    body = receiver.requests[0]["body"]
    assert receiver.requests[0]["headers"]["X-CS-Signature"] == webhooks.webhook_signature(
        body, "rotated-secret-0000000"
    )
