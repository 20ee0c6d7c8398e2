"""Retention: with the clock frozen, chats older than CHAT_RETENTION_DAYS lose their text and the customer's
identifier (and QA's copies of them), newer ones keep everything, the computed metrics stay the same even when
computed again, and a second run changes nothing."""

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile

from conversations.models import Conversation, ImportJob, Message
from conversations.retention import chat_retention_apply
from conversations.tasks import chat_retention_apply_task
from kpi.computation.daily import daily_metrics_compute
from kpi.models import DailyAgentMetric
from qa_reviews.models import Case, Complaint
from tests.conversations.factories import ConversationFactory, MessageFactory, native

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 30, 4, 0, tzinfo=dt.UTC)
OLD_DAY, NEW_DAY = dt.date(2025, 11, 20), dt.date(2026, 11, 20)  # 375 and 10 days before NOW


def chat(team, agent, day: dt.date, customer: str) -> Conversation:
    start = dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=SHANGHAI)
    conversation = ConversationFactory(
        team=team, agent=agent, started_at=start, customer=customer, rating=4, resolved=True
    )
    MessageFactory(conversation=conversation, sender="customer", sent_at=start, text=f"I am {customer}, 138 0000 1234")
    MessageFactory(conversation=conversation, sender="agent", sent_at=start + dt.timedelta(seconds=45), text="Hello!")
    return conversation


@pytest.fixture
def history(team, agent, supervisor):
    old, new = chat(team, agent, OLD_DAY, "buyer-old"), chat(team, agent, NEW_DAY, "buyer-new")
    for day in (OLD_DAY, NEW_DAY):
        daily_metrics_compute(day=day)
    complaint = {"team": team, "summary": "Late parcel", "category": "logistics", "details": "Parcel lost"}
    for conversation in (old, new):
        Complaint.objects.create(
            **complaint,
            customer=conversation.customer,
            received_at=conversation.started_at,
            sla_minutes=60,
            first_response_due_at=conversation.started_at + dt.timedelta(hours=1),
        )
    with time_machine.travel(old.started_at, tick=False):
        old_case = Case.objects.create(team=team, title="Rude reply", buyer_id="buyer-old", evidence="chat excerpt")
    Case.objects.create(team=team, title="Slow reply", buyer_id="buyer-new", evidence="chat excerpt")
    with time_machine.travel(old.started_at, tick=False):
        job = ImportJob.objects.create(team=team, source="csv", format="csv", original_name="old.csv", errors=["row 3"])
        job.file.save("old.csv", ContentFile(b"customer,text\nbuyer-old,hello\n"), save=True)
    return {"old": old, "new": new, "old_case": old_case, "job": job}


def metrics() -> list[tuple]:
    return list(
        DailyAgentMetric.objects.order_by("date").values_list(
            "date",
            "conversations",
            "messages_sent",
            "first_response_count",
            "first_response_ms_sum",
            "rated",
            "resolved",
        )
    )


@time_machine.travel(NOW, tick=False)
def test_old_chats_lose_personal_data_and_keep_their_metrics(history, settings):
    settings.CHAT_RETENTION_DAYS = 365
    before = metrics()
    result = chat_retention_apply()
    assert (result.conversations, result.messages, result.import_files) == (1, 2, 1)
    assert result.cutoff == NOW - dt.timedelta(days=365)

    old, new = (Conversation.objects.get(pk=history[key].pk) for key in ("old", "new"))
    assert old.customer == "" and old.personal_data_removed_at == NOW
    assert set(Message.objects.filter(conversation=old).values_list("text", flat=True)) == {""}
    assert Message.objects.filter(conversation=old).count() == 2  # who wrote when stays
    assert new.customer == "buyer-new" and new.personal_data_removed_at is None
    assert "138 0000 1234" in Message.objects.filter(conversation=new, sender="customer").get().text

    assert sorted(Complaint.objects.values_list("customer", flat=True)) == ["", "buyer-new"]
    old_case = Case.objects.get(pk=history["old_case"].pk)
    assert (old_case.buyer_id, old_case.evidence, old_case.title) == ("", "", "Rude reply")
    assert Case.objects.exclude(pk=old_case.pk).get().buyer_id == "buyer-new"
    job = ImportJob.objects.get(pk=history["job"].pk)
    assert not job.file and job.errors == []

    assert metrics() == before  # the computed metrics stay
    for day in (OLD_DAY, NEW_DAY):
        daily_metrics_compute(day=day)
    assert metrics() == before  # and computing them again from what is left gives the same


@time_machine.travel(NOW, tick=False)
def test_a_second_run_changes_nothing_and_zero_days_keeps_everything(history, settings):
    settings.CHAT_RETENTION_DAYS = 0
    assert chat_retention_apply().cutoff is None
    assert Conversation.objects.filter(personal_data_removed_at__isnull=False).count() == 0
    settings.CHAT_RETENTION_DAYS = 365
    assert chat_retention_apply_task() == {"conversations": 1, "messages": 2, "import_files": 1}
    assert chat_retention_apply_task() == {"conversations": 0, "messages": 0, "import_files": 0}


def test_the_job_is_on_the_beat_schedule():
    from cs_platform.beat_schedule import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["conversations.chat_retention_apply"]["task"] == "conversations.tasks.chat_retention_apply"


@time_machine.travel(NOW, tick=False)
def test_a_re_sent_old_conversation_brings_no_personal_data_back(api, supervisor, agent, settings):
    settings.CHAT_RETENTION_DAYS = 365
    old = native(
        "c-old",
        started_at="2025-10-01T09:00:00+08:00",
        closed_at="2025-10-01T09:20:00+08:00",
        messages=[
            {"sender": "customer", "sent_at": "2025-10-01T09:00:00+08:00", "text": "My phone is 138 0000 1234"},
            {"sender": "agent", "sent_at": "2025-10-01T09:00:40+08:00", "text": "Thanks, noted."},
        ],
    )
    client = api.as_user(supervisor)
    assert client.post("/api/v1/conversations/bulk/", [old], format="json").json()["created"] == 1
    stored = Conversation.objects.get(external_id="c-old")
    assert stored.customer == "" and stored.personal_data_removed_at == NOW
    assert set(stored.messages.values_list("text", flat=True)) == {""}
    again = client.post("/api/v1/conversations/bulk/", [old], format="json").json()
    assert again["created"] == 0 and Message.objects.filter(conversation=stored).count() == 2  # nothing doubled
    assert Conversation.objects.get(pk=stored.pk).customer == ""
    recent = client.post("/api/v1/conversations/bulk/", [native("c-new")], format="json").json()
    assert recent["created"] == 1 and Conversation.objects.get(external_id="c-new").customer == "buyer-77"
