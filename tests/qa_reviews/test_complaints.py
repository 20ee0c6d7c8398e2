"""Complaints: the first-response SLA and its policy, the breach watch (once, notified once), status moves with
their history, follow-up satisfaction, and who may see and do what."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from notifications.models import Notification
from qa_reviews import complaints
from qa_reviews.models import Complaint, ComplaintPolicy, ComplaintStatus, ComplaintStatusChange
from qa_reviews.tasks import complaints_flag_sla_breaches_task
from teams import policy
from tests.conversations.factories import ConversationFactory

RECEIVED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def record(team, actor, **fields):
    values = {"summary": "Parcel arrived broken", "category": "logistics", "customer": "buyer-77", **fields}
    return complaints.complaint_create(team=team, actor=actor, **values)


def history(complaint):
    return list(
        ComplaintStatusChange.objects.filter(complaint=complaint).values_list("from_status", "to_status", "changed_by")
    )


def sla_notifications():
    return sorted(Notification.objects.filter(kind="complaint-sla").values_list("recipient__username", "dedupe_key"))


# The SLA and its policy -------------------------------------------------------------------------------


def test_sla_defaults_to_30_minutes_from_receipt(team, agent):
    complaint = record(team, agent, received_at=RECEIVED)
    assert complaint.sla_minutes == ComplaintPolicy.DEFAULT_FIRST_RESPONSE_MINUTES == 30
    assert complaint.first_response_due_at == RECEIVED + dt.timedelta(minutes=30)
    assert complaints.complaint_sla(team) == (30, "default")


def test_received_at_defaults_to_now(team, agent):
    before = timezone.now()
    complaint = record(team, agent)
    assert before <= complaint.received_at <= timezone.now()
    assert complaint.first_response_due_at - complaint.received_at == dt.timedelta(minutes=30)


def test_team_policy_applies_to_complaints_recorded_after_it(
    team, sibling_team, agent, sibling_agent, supervisor, manager
):
    earlier = record(team, agent, received_at=RECEIVED)
    complaints.complaint_policy_set(team=team, actor=supervisor, minutes=10)
    later = record(team, agent, received_at=RECEIVED)
    earlier.refresh_from_db()
    assert (earlier.sla_minutes, later.sla_minutes) == (30, 10)
    assert later.first_response_due_at == RECEIVED + dt.timedelta(minutes=10)

    # A department's policy covers its teams that have none of their own.
    complaints.complaint_policy_set(team=team.parent, actor=manager, minutes=45)
    assert record(sibling_team, sibling_agent, received_at=RECEIVED).sla_minutes == 45
    assert complaints.complaint_sla(sibling_team) == (45, "department")
    assert complaints.complaint_sla(team) == (10, "team")

    complaints.complaint_policy_set(team=team, actor=manager, minutes=20)  # setting again updates the one row
    assert ComplaintPolicy.objects.get(team=team).first_response_minutes == 20
    assert ComplaintPolicy.objects.count() == 2


@pytest.mark.parametrize("actor", ["agent", "qa_inspector", "outsider", "sibling_agent"])
def test_only_supervisors_and_managers_set_the_policy(request, team, actor):
    with pytest.raises(PermissionDenied):
        complaints.complaint_policy_set(team=team, actor=request.getfixturevalue(actor), minutes=5)
    assert not ComplaintPolicy.objects.exists()


@pytest.mark.parametrize("minutes", [0, -5, 7 * 24 * 60 + 1, "15"])
def test_invalid_policy_minutes_name_the_field(team, supervisor, minutes):
    with pytest.raises(ValidationError) as error:
        complaints.complaint_policy_set(team=team, actor=supervisor, minutes=minutes)
    assert list(error.value.message_dict) == ["first_response_minutes"]
    assert not ComplaintPolicy.objects.exists()


# Recording ---------------------------------------------------------------------------------------------


def test_an_agent_records_a_complaint_they_received_and_owns_it(team, agent):
    conversation = ConversationFactory(team=team, agent=agent)
    complaint = record(team, agent, conversation=conversation, channel="web", priority="high")
    assert (complaint.owner, complaint.created_by, complaint.status) == (agent, agent, ComplaintStatus.NEW)
    assert complaint.conversation == conversation
    assert history(complaint) == [("", "new", agent.pk)]
    assert not Notification.objects.exists()  # nobody is told about what they just took themselves


def test_a_supervisor_records_for_an_agent_who_is_notified_once(team, supervisor, agent):
    complaint = record(team, supervisor, owner=agent)
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (agent, "complaint-assigned")
    assert notification.link == f"/complaints/{complaint.pk}/"
    assert "Parcel arrived broken" in notification.text


@pytest.mark.parametrize("actor", ["outsider", "sibling_agent"])
def test_outsiders_cannot_record(request, team, actor):
    with pytest.raises(PermissionDenied):
        record(team, request.getfixturevalue(actor))
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("owner outside the team", "owner"),
        ("manager without owner", "owner"),
        ("conversation of another team", "conversation"),
        ("received in the future", "received_at"),
        ("unknown category", "category"),
        ("empty summary", "summary"),
    ],
)
def test_invalid_complaints_name_the_field_and_write_nothing(
    team, sibling_team, agent, supervisor, manager, sibling_agent, case, field
):
    attempts = {
        "owner outside the team": lambda: record(team, supervisor, owner=sibling_agent),
        "manager without owner": lambda: record(team, manager),
        "conversation of another team": lambda: record(
            team, agent, conversation=ConversationFactory(team=sibling_team, agent=sibling_agent)
        ),
        "received in the future": lambda: record(team, agent, received_at=timezone.now() + dt.timedelta(hours=1)),
        "unknown category": lambda: record(team, agent, category="weather"),
        "empty summary": lambda: record(team, agent, summary=""),
    }
    with pytest.raises(ValidationError) as error:
        attempts[case]()
    assert field in error.value.message_dict
    assert not Complaint.objects.exists() and not ComplaintStatusChange.objects.exists()
    assert not Notification.objects.exists()


# The SLA watch -----------------------------------------------------------------------------------------


def test_a_breach_is_flagged_once_and_notified_once(team, agent, second_agent, supervisor, qa_inspector):
    late = record(team, supervisor, owner=agent, received_at=RECEIVED)
    Notification.objects.all().delete()  # leave only what the watch sends
    due = late.first_response_due_at

    assert complaints.complaints_flag_sla_breaches(now=due) == 0  # due, not yet past due
    now = due + dt.timedelta(minutes=1)
    assert complaints.complaints_flag_sla_breaches(now=now) == 1
    late.refresh_from_db()
    assert late.sla_breached_at == now and late.status == ComplaintStatus.NEW
    expected = [("alice", f"complaint-sla:{late.pk}:{agent.pk}"), ("sue", f"complaint-sla:{late.pk}:{supervisor.pk}")]
    assert sla_notifications() == expected  # the owner and the supervisor; not QA, not other agents

    later = now + dt.timedelta(minutes=5)
    assert complaints.complaints_flag_sla_breaches(now=later) == 0
    late.refresh_from_db()
    assert late.sla_breached_at == now  # the first flag stands
    assert sla_notifications() == expected


def test_complaints_answered_in_time_are_never_flagged(team, agent, supervisor):
    answered = record(team, agent)
    complaints.complaint_transition(complaint=answered, actor=agent, to_status="responding")
    resolved_at_once = record(team, agent)
    complaints.complaint_transition(complaint=resolved_at_once, actor=agent, to_status="resolved")
    far_later = timezone.now() + dt.timedelta(days=2)
    assert complaints.complaints_flag_sla_breaches(now=far_later) == 0
    assert Complaint.objects.filter(sla_breached_at__isnull=False).count() == 0
    assert not sla_notifications()


def test_a_late_first_answer_records_the_breach_without_waiting_for_the_watch(team, agent):
    complaint = record(team, agent, received_at=timezone.now() - dt.timedelta(minutes=40))
    complaints.complaint_transition(complaint=complaint, actor=agent, to_status="responding")
    complaint.refresh_from_db()
    assert complaint.sla_breached_at == complaint.first_responded_at
    assert complaints.complaints_flag_sla_breaches() == 0 and not sla_notifications()


def test_the_watch_works_through_batches(team, agent, supervisor, monkeypatch):
    monkeypatch.setattr(complaints, "SLA_WATCH_BATCH", 2)
    overdue = [record(team, agent, received_at=RECEIVED + dt.timedelta(minutes=i)) for i in range(5)]
    not_due = record(team, agent, received_at=RECEIVED + dt.timedelta(hours=3))
    now = RECEIVED + dt.timedelta(hours=2)
    assert complaints.complaints_flag_sla_breaches(now=now) == 5
    assert set(Complaint.objects.filter(sla_breached_at=now).values_list("pk", flat=True)) == {c.pk for c in overdue}
    assert Complaint.objects.get(pk=not_due.pk).sla_breached_at is None
    assert len(sla_notifications()) == 10  # owner and supervisor, per complaint
    assert complaints.complaints_flag_sla_breaches(now=now) == 0 and len(sla_notifications()) == 10


def test_the_celery_task_runs_the_watch(team, agent, supervisor):
    record(team, agent, received_at=timezone.now() - dt.timedelta(hours=1))
    assert complaints_flag_sla_breaches_task.delay().get() == 1
    assert complaints_flag_sla_breaches_task.delay().get() == 0
    assert len(sla_notifications()) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two workers locking rows at once needs PostgreSQL (SKIP LOCKED)"
)
def test_two_workers_at_once_flag_each_complaint_once(team, agent, supervisor, monkeypatch):
    """Worker A claims the rows and is held before committing; worker B runs meanwhile, skips A's rows and
    flags nothing; A then commits. Every complaint is flagged and notified exactly once."""
    for minute in range(3):
        record(team, agent, received_at=RECEIVED + dt.timedelta(minutes=minute))
    now = RECEIVED + dt.timedelta(hours=1)
    a_claimed, release_a = threading.Event(), threading.Event()
    send = complaints.notifications_send

    def held_send(*, outgoing):
        if threading.current_thread().name == "worker-a":
            a_claimed.set()
            release_a.wait(timeout=30)
        return send(outgoing=outgoing)

    monkeypatch.setattr(complaints, "notifications_send", held_send)
    results = {}

    def run(name):
        try:
            results[name] = complaints.complaints_flag_sla_breaches(now=now)
        finally:
            connection.close()

    worker_a = threading.Thread(target=run, args=("a",), name="worker-a")
    worker_a.start()
    assert a_claimed.wait(timeout=30)
    worker_b = threading.Thread(target=run, args=("b",), name="worker-b")
    worker_b.start()
    worker_b.join(timeout=10)
    b_waited = worker_b.is_alive()  # SKIP LOCKED: B takes other rows (none here) instead of waiting for A
    release_a.set()
    worker_b.join(timeout=30)
    worker_a.join(timeout=30)
    assert not b_waited
    assert results == {"a": 3, "b": 0}
    assert Complaint.objects.filter(sla_breached_at=now).count() == 3
    assert len(sla_notifications()) == 6


# Status moves ------------------------------------------------------------------------------------------


def test_the_full_path_stamps_times_and_keeps_the_history(team, agent, supervisor):
    complaint = record(team, agent)
    complaint = complaints.complaint_transition(complaint=complaint, actor=agent, to_status="responding", note="Called")
    assert complaint.first_responded_at is not None and complaint.sla_breached_at is None
    first_response = complaint.first_responded_at
    complaint = complaints.complaint_transition(complaint=complaint, actor=agent, to_status="resolved")
    assert complaint.resolved_at is not None
    complaint = complaints.complaint_transition(
        complaint=complaint, actor=supervisor, to_status="responding", note="Customer wrote again"
    )
    assert complaint.resolved_at is None and complaint.first_responded_at == first_response
    complaint = complaints.complaint_transition(complaint=complaint, actor=agent, to_status="resolved")
    complaint = complaints.complaint_transition(complaint=complaint, actor=supervisor, to_status="closed")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED and complaint.closed_at is not None
    assert complaint.resolved_at is not None and complaint.first_responded_at == first_response
    assert history(complaint) == [
        ("", "new", agent.pk),
        ("new", "responding", agent.pk),
        ("responding", "resolved", agent.pk),
        ("resolved", "responding", supervisor.pk),
        ("responding", "resolved", agent.pk),
        ("resolved", "closed", supervisor.pk),
    ]
    assert complaint.history.get(to_status="responding", from_status="new").note == "Called"


def test_resolving_in_the_first_answer_counts_as_the_first_response(team, agent):
    complaint = complaints.complaint_transition(complaint=record(team, agent), actor=agent, to_status="resolved")
    assert complaint.first_responded_at == complaint.resolved_at is not None


@pytest.mark.parametrize(
    ("path", "target", "field"),
    [
        ([], "closed", "status"),  # new → closed skips the answer
        ([], "new", "status"),
        (["responding"], "new", "status"),
        (["responding"], "closed", "status"),
        (["resolved", "closed"], "responding", "status"),  # closed is final
        (["resolved", "closed"], "resolved", "status"),
        ([], "bogus", "status"),
        (["resolved"], "responding", "note"),  # reopening needs a reason
    ],
)
def test_invalid_moves_name_the_field_and_write_nothing(team, agent, path, target, field):
    complaint = record(team, agent)
    for step in path:
        complaints.complaint_transition(complaint=complaint, actor=agent, to_status=step)
    before = Complaint.objects.values().get(pk=complaint.pk)
    changes = ComplaintStatusChange.objects.count()
    with pytest.raises(ValidationError) as error:
        complaints.complaint_transition(complaint=complaint, actor=agent, to_status=target)
    assert list(error.value.message_dict) == [field]
    assert Complaint.objects.values().get(pk=complaint.pk) == before
    assert ComplaintStatusChange.objects.count() == changes


@pytest.mark.parametrize("actor", ["agent", "supervisor", "qa_inspector", "manager"])
def test_the_owner_and_the_teams_supervisors_move_a_complaint(request, team, supervisor, agent, actor):
    complaint = record(team, supervisor, owner=agent)
    moved = complaints.complaint_transition(
        complaint=complaint, actor=request.getfixturevalue(actor), to_status="responding"
    )
    assert moved.status == ComplaintStatus.RESPONDING


@pytest.mark.parametrize("actor", ["second_agent", "sibling_agent", "outsider"])
def test_others_may_not_move_a_complaint(request, team, agent, second_agent, actor):
    complaint = record(team, second_agent, owner=agent)  # bob recorded it for alice: still not his to move
    with pytest.raises(PermissionDenied):
        complaints.complaint_transition(
            complaint=complaint, actor=request.getfixturevalue(actor), to_status="responding"
        )
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.NEW and complaint.history.count() == 1


def test_an_owner_who_left_the_team_no_longer_handles_it(team, agent):
    complaint = record(team, agent)
    agent.memberships.update(active=False)
    policy.forget_team_access(agent)
    with pytest.raises(PermissionDenied):
        complaints.complaint_transition(complaint=complaint, actor=agent, to_status="responding")


# Follow-up and edits -----------------------------------------------------------------------------------


def test_follow_up_satisfaction_once_resolved(team, agent, supervisor):
    complaint = record(team, agent)
    with pytest.raises(ValidationError) as error:
        complaints.complaint_follow_up(complaint=complaint, actor=agent, satisfaction=4)
    assert list(error.value.message_dict) == ["satisfaction"]
    complaints.complaint_transition(complaint=complaint, actor=agent, to_status="resolved")
    for wrong in (0, 6, True, "4"):
        with pytest.raises(ValidationError) as error:
            complaints.complaint_follow_up(complaint=complaint, actor=agent, satisfaction=wrong)
        assert list(error.value.message_dict) == ["satisfaction"]
    assert Complaint.objects.get(pk=complaint.pk).follow_up_satisfaction is None
    assert complaints.complaint_follow_up(complaint=complaint, actor=agent, satisfaction=4).follow_up_satisfaction == 4
    complaints.complaint_transition(complaint=complaint, actor=supervisor, to_status="closed")
    complaints.complaint_follow_up(complaint=complaint, actor=supervisor, satisfaction=5)
    assert Complaint.objects.get(pk=complaint.pk).follow_up_satisfaction == 5


def test_follow_up_is_for_those_who_handle_it(team, agent, second_agent):
    complaint = record(team, agent)
    complaints.complaint_transition(complaint=complaint, actor=agent, to_status="resolved")
    with pytest.raises(PermissionDenied):
        complaints.complaint_follow_up(complaint=complaint, actor=second_agent, satisfaction=1)
    assert Complaint.objects.get(pk=complaint.pk).follow_up_satisfaction is None


def test_edits_and_handing_over(team, agent, second_agent, supervisor, sibling_agent):
    complaint = record(team, agent, received_at=RECEIVED)
    complaint = complaints.complaint_update(
        complaint=complaint, actor=agent, data={"summary": "Parcel broken, glass inside", "priority": "urgent"}
    )
    assert (complaint.summary, complaint.priority) == ("Parcel broken, glass inside", "urgent")
    assert complaint.first_response_due_at == RECEIVED + dt.timedelta(minutes=30)  # the SLA does not move

    with pytest.raises(PermissionDenied):  # the owner does not hand it on
        complaints.complaint_update(complaint=complaint, actor=agent, data={"owner": second_agent})
    with pytest.raises(ValidationError) as error:
        complaints.complaint_update(complaint=complaint, actor=supervisor, data={"owner": sibling_agent})
    assert list(error.value.message_dict) == ["owner"]
    with pytest.raises(ValidationError) as error:
        complaints.complaint_update(complaint=complaint, actor=agent, data={"category": "weather"})
    assert list(error.value.message_dict) == ["category"]
    assert Complaint.objects.get(pk=complaint.pk).owner == agent and not Notification.objects.exists()

    complaints.complaint_update(complaint=complaint, actor=supervisor, data={"owner": second_agent})
    assert Notification.objects.get().recipient == second_agent
    with pytest.raises(PermissionDenied):  # alice no longer owns it
        complaints.complaint_transition(complaint=complaint, actor=agent, to_status="responding")


def test_a_closed_complaint_is_not_edited(team, agent):
    complaint = record(team, agent)
    for step in ("resolved", "closed"):
        complaints.complaint_transition(complaint=complaint, actor=agent, to_status=step)
    with pytest.raises(ValidationError) as error:
        complaints.complaint_update(complaint=complaint, actor=agent, data={"summary": "Changed"})
    assert list(error.value.message_dict) == ["status"]


# Who sees what -----------------------------------------------------------------------------------------


def test_complaint_list_is_team_scoped(
    team, sibling_team, agent, second_agent, supervisor, qa_inspector, manager, outsider, sibling_agent
):
    alices = record(team, agent)
    recorded_by_alice_for_bob = record(team, agent, owner=second_agent)
    bobs = record(team, second_agent)
    sibling = record(sibling_team, sibling_agent)

    def visible(user):
        return set(complaints.complaint_list(user).values_list("pk", flat=True))

    team_complaints = {alices.pk, recorded_by_alice_for_bob.pk, bobs.pk}
    assert visible(agent) == {alices.pk, recorded_by_alice_for_bob.pk}
    assert visible(second_agent) == {recorded_by_alice_for_bob.pk, bobs.pk}
    assert visible(supervisor) == visible(qa_inspector) == team_complaints
    assert visible(manager) == team_complaints | {sibling.pk}
    assert visible(sibling_agent) == {sibling.pk}
    assert visible(outsider) == set()
    with pytest.raises(Complaint.DoesNotExist):
        complaints.complaint_detail(outsider, alices.pk)
    detail = complaints.complaint_detail(agent, alices.pk)
    assert [change.to_status for change in detail.history.all()] == ["new"]


def test_list_filters(team, agent, supervisor):
    urgent = record(team, agent, priority="urgent", category="refund", received_at=RECEIVED)
    plain = record(team, agent)
    complaints.complaint_transition(complaint=plain, actor=agent, to_status="responding")
    complaints.complaints_flag_sla_breaches(now=RECEIVED + dt.timedelta(hours=1))
    visible = complaints.complaint_list(supervisor)

    def ids(**params):
        return set(complaints.complaints_filtered(visible, params).values_list("pk", flat=True))

    assert ids(priority="urgent") == ids(category="refund") == ids(breached="true") == {urgent.pk}
    assert ids(status="responding") == ids(breached="false") == {plain.pk}
    assert ids(owner=str(agent.pk), team=str(team.pk)) == {urgent.pk, plain.pk}
    assert ids(status="nonsense", priority="urgent") == {urgent.pk}  # an invalid filter is ignored, not fatal
