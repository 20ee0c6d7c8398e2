"""Sampling rules: what each kind picks, N per agent per week, idempotent reruns, nobody reviews themselves,
the week in the team's time zone, and the rule services' permissions and validation."""

import datetime as dt
import random
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conversations.models import Message, Sender
from qa_reviews import sampling, sentiment, services
from qa_reviews.models import (
    AssignmentStatus,
    Complaint,
    ComplaintPriority,
    ConversationSentiment,
    ReviewAssignment,
    SamplingKind,
    SamplingRule,
)
from qa_reviews.tasks import sampling_run_weekly_task
from teams.models import Role
from tests.conversations.factories import ConversationFactory, MessageFactory
from tests.factories import TeamFactory, member
from tests.qa_reviews.test_reviews import CRITERIA

WEEK = dt.date(2026, 11, 2)  # a Monday
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def local(day: dt.date, hour: int = 10, minute: int = 0, zone=SHANGHAI) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def chat(team, agent, started_at=None, customer=(), agent_says=(), **fields):
    """A conversation with customer and agent messages a minute apart, customer first."""
    started_at = started_at or local(WEEK + dt.timedelta(days=2))
    conversation = ConversationFactory(team=team, agent=agent, started_at=started_at, **fields)
    for number, text in enumerate(customer):
        sent_at = started_at + dt.timedelta(minutes=2 * number)
        MessageFactory(conversation=conversation, sender=Sender.CUSTOMER, text=text, sent_at=sent_at)
    for number, text in enumerate(agent_says):
        sent_at = started_at + dt.timedelta(minutes=2 * number + 1)
        MessageFactory(conversation=conversation, sender=Sender.AGENT, text=text, sent_at=sent_at)
    return conversation


def make_rule(team, actor, kind=SamplingKind.RANDOM, **fields) -> SamplingRule:
    return sampling.sampling_rule_create(team=team, actor=actor, name=f"{kind} sample", kind=kind, **fields)


def assigned(rule, week=WEEK) -> set[int]:
    return set(ReviewAssignment.objects.filter(rule=rule, week_start=week).values_list("conversation_id", flat=True))


# --- what each kind picks --------------------------------------------------------------------------


def test_random_picks_n_per_agent_and_a_rerun_creates_nothing(team, qa_inspector, agent, second_agent):
    for person in (agent, second_agent):
        for day in range(5):
            chat(team, person, local(WEEK + dt.timedelta(days=day)))
    rule = make_rule(team, qa_inspector, per_agent_per_week=2)

    assert sampling.week_sample(rule=rule, week_start=WEEK) == 4
    rows = list(ReviewAssignment.objects.filter(rule=rule).values_list("pk", "conversation_id", "reviewer_id"))
    per_agent = {
        person: ReviewAssignment.objects.filter(rule=rule, conversation__agent=person).count()
        for person in (agent, second_agent)
    }
    assert per_agent == {agent: 2, second_agent: 2}
    assert {reviewer for *_, reviewer in rows} == {qa_inspector.pk}

    assert sampling.week_sample(rule=rule, week_start=WEEK) == 0
    assert list(ReviewAssignment.objects.filter(rule=rule).values_list("pk", "conversation_id", "reviewer_id")) == rows


def test_random_is_the_same_draw_on_every_run(team, qa_inspector, agent):
    for day in range(7):
        chat(team, agent, local(WEEK + dt.timedelta(days=day)))
    rule = make_rule(team, qa_inspector, per_agent_per_week=3)
    sampling.week_sample(rule=rule, week_start=WEEK)
    first_draw = assigned(rule)
    ReviewAssignment.objects.all().delete()
    sampling.week_sample(rule=rule, week_start=WEEK)
    assert assigned(rule) == first_draw and len(first_draw) == 3


def test_low_rating_picks_ratings_of_two_or_less_lowest_first(team, qa_inspector, agent):
    by_rating = {rating: chat(team, agent, rating=rating) for rating in (1, 2, 3, 5)}
    chat(team, agent, rating=None)
    rule = make_rule(team, qa_inspector, SamplingKind.LOW_RATING, per_agent_per_week=1)
    sampling.week_sample(rule=rule, week_start=WEEK)
    assert assigned(rule) == {by_rating[1].pk}

    rule.per_agent_per_week = 5
    rule.save()
    sampling.week_sample(rule=rule, week_start=WEEK)  # tops up the quota with what is left of the kind
    assert assigned(rule) == {by_rating[1].pk, by_rating[2].pk}


def test_negative_sentiment_scores_customer_messages_and_picks_the_negative(team, qa_inspector, agent):
    angry_zh = chat(team, agent, customer=["太差了，我要投诉，退款！"], agent_says=["非常抱歉"])
    angry_en = chat(team, agent, customer=["This is the worst service, I want a refund"], agent_says=["Sorry"])
    happy = chat(team, agent, customer=["谢谢，很满意"], agent_says=["不客气"])
    # The agent's words do not make the customer unhappy: only customer messages are scored.
    agent_complains = chat(
        team, agent, customer=["Thanks, great help"], agent_says=["This is the worst service, I want a refund"]
    )
    # A score from an older method is recomputed.
    ConversationSentiment.objects.create(conversation=angry_en, negativity=0.0, negative=False, method="old-method")
    rule = make_rule(team, qa_inspector, SamplingKind.NEGATIVE_SENTIMENT, per_agent_per_week=5)

    sampling.week_sample(rule=rule, week_start=WEEK)

    assert assigned(rule) == {angry_zh.pk, angry_en.pk}
    scores = {row.conversation_id: row for row in ConversationSentiment.objects.all()}
    assert set(scores) == {angry_zh.pk, angry_en.pk, happy.pk, agent_complains.pk}
    assert {row.method for row in scores.values()} == {sentiment.METHOD}
    assert not scores[happy.pk].negative and not scores[agent_complains.pk].negative
    assert scores[angry_en.pk].negative and scores[angry_en.pk].negativity >= sentiment.NEGATIVE_THRESHOLD


def test_negative_sentiment_picks_the_most_negative_first(team, qa_inspector, agent):
    milder, worse = chat(team, agent), chat(team, agent)
    for conversation, negativity in ((milder, 0.7), (worse, 0.95)):
        ConversationSentiment.objects.create(
            conversation=conversation, negativity=negativity, negative=True, method=sentiment.METHOD
        )
    rule = make_rule(team, qa_inspector, SamplingKind.NEGATIVE_SENTIMENT, per_agent_per_week=1)
    sampling.week_sample(rule=rule, week_start=WEEK)
    assert assigned(rule) == {worse.pk}


def complaint_about(conversation, priority=ComplaintPriority.NORMAL) -> Complaint:
    received = conversation.started_at
    return Complaint.objects.create(
        team=conversation.team,
        conversation=conversation,
        summary="Late parcel",
        category="logistics",
        priority=priority,
        customer="buyer-1",
        received_at=received,
        sla_minutes=30,
        first_response_due_at=received + dt.timedelta(minutes=30),
    )


def test_complaint_picks_conversations_with_a_complaint_most_urgent_first(team, qa_inspector, agent):
    normal, urgent, _quiet = chat(team, agent), chat(team, agent), chat(team, agent)
    complaint_about(normal)
    complaint_about(urgent, ComplaintPriority.LOW)
    complaint_about(urgent, ComplaintPriority.URGENT)  # two complaints, one assignment
    rule = make_rule(team, qa_inspector, SamplingKind.COMPLAINT, per_agent_per_week=1)
    sampling.week_sample(rule=rule, week_start=WEEK)
    assert assigned(rule) == {urgent.pk}
    rule.per_agent_per_week = 3
    rule.save()
    sampling.week_sample(rule=rule, week_start=WEEK)
    assert assigned(rule) == {urgent.pk, normal.pk}
    assert ReviewAssignment.objects.count() == 2


def timed_chat(team, agent, messages: list[tuple[str, int]], **fields):
    """messages: (sender, seconds after the start)."""
    started_at = fields.pop("started_at", local(WEEK + dt.timedelta(days=1)))
    conversation = ConversationFactory(team=team, agent=agent, started_at=started_at, **fields)
    for sender, seconds in messages:
        MessageFactory(conversation=conversation, sender=sender, sent_at=started_at + dt.timedelta(seconds=seconds))
    return conversation


def test_slow_first_response_is_measured_from_the_first_customer_message(team, qa_inspector, agent):
    slow = timed_chat(team, agent, [("customer", 0), ("agent", 600)])
    timed_chat(team, agent, [("customer", 0), ("agent", 60), ("customer", 100), ("agent", 5000)])  # fast first reply
    unanswered = timed_chat(team, agent, [("customer", 0), ("bot", 5), ("customer", 50)])
    # a greeting before the customer speaks does not answer them: 700 s from the customer's message
    greeted_then_slow = timed_chat(team, agent, [("agent", 0), ("customer", 10), ("agent", 710)])
    timed_chat(team, agent, [("agent", 0)])  # no customer message: no first response to judge
    timed_chat(team, agent, [("customer", 0), ("bot", 10), ("agent", 300)])  # exactly the limit is not slow
    rule = make_rule(team, qa_inspector, SamplingKind.SLOW_FIRST_RESPONSE, slow_first_response_seconds=300)
    rule.per_agent_per_week = 2
    rule.save()

    sampling.week_sample(rule=rule, week_start=WEEK)
    assert assigned(rule) == {unanswered.pk, greeted_then_slow.pk}  # slowest first: never answered, then 700 s
    rule.per_agent_per_week = 10
    rule.save()
    sampling.week_sample(rule=rule, week_start=WEEK)
    assert assigned(rule) == {unanswered.pk, greeted_then_slow.pk, slow.pk}


def test_slow_first_response_is_computed_in_a_fixed_number_of_queries(
    team, qa_inspector, agent, second_agent, django_assert_max_num_queries
):
    rule = make_rule(team, qa_inspector, SamplingKind.SLOW_FIRST_RESPONSE, per_agent_per_week=50)
    for number in range(30):
        timed_chat(team, (agent, second_agent)[number % 2], [("customer", 0), ("agent", 400 + number)])
    with django_assert_max_num_queries(11):
        assert sampling.week_sample(rule=rule, week_start=WEEK) == 30


sender = st.sampled_from([Sender.CUSTOMER, Sender.AGENT, Sender.BOT, Sender.SYSTEM])
conversation_messages = st.lists(st.tuples(sender, st.integers(min_value=0, max_value=900)), max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(st.tuples(st.booleans(), conversation_messages), max_size=10), seed=st.integers())
def test_slow_first_response_matches_a_reference(team, qa_inspector, agent, second_agent, specs, seed):
    ReviewAssignment.objects.all().delete()
    SamplingRule.objects.all().delete()
    Message.objects.all().delete()
    team.conversations.all().delete()
    shuffle = random.Random(seed)
    for number, (second, messages) in enumerate(specs):
        start = local(WEEK + dt.timedelta(days=number % 7))
        conversation = ConversationFactory(team=team, agent=second_agent if second else agent, started_at=start)
        messages = list(messages)
        shuffle.shuffle(messages)  # arrival (id) order differs from time order; equal times tie by id
        Message.objects.bulk_create(
            Message(conversation=conversation, sender=who, sent_at=start + dt.timedelta(seconds=s), fingerprint=str(i))
            for i, (who, s) in enumerate(messages)
        )
    rule = make_rule(team, qa_inspector, SamplingKind.SLOW_FIRST_RESPONSE, slow_first_response_seconds=120)
    rule.per_agent_per_week = 2
    rule.save()
    sampling.week_sample(rule=rule, week_start=WEEK)
    assert assigned(rule) == reference_slow_picks(team, limit=120, per_agent=2)


def reference_slow_picks(team, *, limit: int, per_agent: int) -> set[int]:
    """DESIGN.md's first response, in plain Python: slowest (unanswered first) per agent, ties by start and id."""
    candidates = []
    for conversation in team.conversations.order_by("pk"):
        timeline = sorted(
            (m.sent_at, m.pk, m.sender)
            for m in conversation.messages.all()
            if m.sender in (Sender.CUSTOMER, Sender.AGENT)
        )
        first_customer = next((i for i, m in enumerate(timeline) if m[2] == Sender.CUSTOMER), None)
        if first_customer is None:
            continue
        reply = next((m for m in timeline[first_customer + 1 :] if m[2] == Sender.AGENT), None)
        if reply is None:
            wait = None
        else:
            wait = reply[0] - timeline[first_customer][0]
            if wait <= dt.timedelta(seconds=limit):
                continue
        sort_key = (wait is not None, -(wait or dt.timedelta()), conversation.started_at, conversation.pk)
        candidates.append((conversation.agent_id, sort_key, conversation.pk))
    picked = set()
    for agent_id in {c[0] for c in candidates}:
        mine = sorted(c for c in candidates if c[0] == agent_id)
        picked |= {c[2] for c in mine[:per_agent]}
    return picked


# --- the rules every kind follows -----------------------------------------------------------------


def test_only_the_week_in_the_teams_time_zone_is_sampled(team, qa_inspector, agent):
    inside = [
        chat(team, agent, local(WEEK, 0, 30)),  # Monday 00:30 in Shanghai is still Sunday in UTC
        chat(team, agent, local(WEEK + dt.timedelta(days=6), 23, 30)),  # Sunday night
    ]
    chat(team, agent, local(WEEK - dt.timedelta(days=1), 23, 59))  # the Sunday before
    chat(team, agent, local(WEEK + dt.timedelta(days=7), 0, 10))  # the next Monday
    rule = make_rule(team, qa_inspector, per_agent_per_week=10)
    sampling.week_sample(rule=rule, week_start=WEEK)
    assert assigned(rule) == {c.pk for c in inside}


def test_the_week_follows_the_team_zone_not_utc(department, qa_inspector):
    new_york = TeamFactory(name="NY", parent=department, timezone="America/New_York")
    inspector = member(new_york, Role.QA)
    ny_agent = member(new_york, Role.AGENT)
    zone = zoneinfo.ZoneInfo("America/New_York")
    sunday_evening = chat(new_york, ny_agent, local(WEEK + dt.timedelta(days=6), 21, 0, zone))  # Monday 02:00 UTC
    rule = make_rule(new_york, inspector, per_agent_per_week=10)
    sampling.week_sample(rule=rule, week_start=WEEK)
    assert assigned(rule) == {sunday_evening.pk}
    assert sampling.week_bounds(WEEK, "America/New_York")[0] == dt.datetime(2026, 11, 2, 5, tzinfo=dt.UTC)


def test_nobody_reviews_their_own_conversations(team, qa_inspector, supervisor, agent):
    own = chat(team, qa_inspector)  # the inspector also answers chats
    chat(team, agent)
    alone = make_rule(team, qa_inspector, per_agent_per_week=5)
    sampling.week_sample(rule=alone, week_start=WEEK)
    assert own.pk not in assigned(alone) and len(assigned(alone)) == 1

    shared = make_rule(team, qa_inspector, per_agent_per_week=5, reviewers=[qa_inspector, supervisor])
    sampling.week_sample(rule=shared, week_start=WEEK)
    assert ReviewAssignment.objects.get(rule=shared, conversation=own).reviewer == supervisor
    assert not ReviewAssignment.objects.filter(reviewer=qa_inspector, conversation__agent=qa_inspector).exists()


def test_a_conversation_is_sampled_once_and_never_after_its_review(team, qa_inspector, agent):
    reviewed, low, other = chat(team, agent, rating=1), chat(team, agent, rating=1), chat(team, agent)
    scorecard = services.scorecard_create(team=team, actor=qa_inspector, name="Quality", criteria=CRITERIA)
    services.review_save(
        conversation=reviewed,
        reviewer=qa_inspector,
        scorecard=scorecard,
        points={c.pk: c.max_points for c in scorecard.criteria.all()},
        submit=True,
    )
    low_rating = make_rule(team, qa_inspector, SamplingKind.LOW_RATING, per_agent_per_week=5)
    random_rule = make_rule(team, qa_inspector, per_agent_per_week=5)
    sampling.week_sample(rule=low_rating, week_start=WEEK)
    sampling.week_sample(rule=random_rule, week_start=WEEK)
    assert assigned(low_rating) == {low.pk}
    assert assigned(random_rule) == {other.pk}


def test_work_is_spread_over_the_least_loaded_reviewers(team, qa_inspector, supervisor, agent, second_agent):
    for person in (agent, second_agent):
        for day in range(3):
            chat(team, person, local(WEEK + dt.timedelta(days=day)))
    rule = make_rule(team, qa_inspector, per_agent_per_week=3, reviewers=[qa_inspector, supervisor])
    sampling.week_sample(rule=rule, week_start=WEEK)
    loads = {r: ReviewAssignment.objects.filter(reviewer=r).count() for r in (qa_inspector, supervisor)}
    assert loads == {qa_inspector: 3, supervisor: 3}


def test_without_chosen_reviewers_the_teams_qa_inspectors_review(team, qa_inspector, agent):
    second_inspector = member(team, Role.QA, username="quentin")
    chat(team, agent), chat(team, agent)
    rule = make_rule(team, qa_inspector, per_agent_per_week=2)
    sampling.week_sample(rule=rule, week_start=WEEK)
    assert set(ReviewAssignment.objects.values_list("reviewer_id", flat=True)) == {qa_inspector.pk, second_inspector.pk}


def test_due_date_is_the_end_of_the_following_week(team, qa_inspector, agent):
    chat(team, agent, local(WEEK + dt.timedelta(days=1)))
    rule = make_rule(team, qa_inspector)
    sampling.week_sample(rule=rule, week_start=WEEK, now=local(WEEK + dt.timedelta(days=7), 1, 30))
    assert ReviewAssignment.objects.get().due_date == dt.date(2026, 11, 15)  # the Sunday after the sampled week

    ReviewAssignment.objects.all().delete()
    late = local(WEEK + dt.timedelta(days=30))
    sampling.week_sample(rule=rule, week_start=WEEK, now=late)  # sampled a month late: three days to review
    assert ReviewAssignment.objects.get().due_date == late.date() + dt.timedelta(days=3)


def test_a_week_starts_on_a_monday_and_has_begun(team, qa_inspector):
    rule = make_rule(team, qa_inspector)
    with pytest.raises(ValidationError) as error:
        sampling.week_sample(rule=rule, week_start=WEEK + dt.timedelta(days=1))
    assert "week_start" in error.value.message_dict
    next_monday = sampling.last_complete_week(team) + dt.timedelta(days=14)
    with pytest.raises(ValidationError):
        sampling.week_sample(rule=rule, week_start=next_monday)


def test_last_complete_week_is_found_in_the_teams_zone(team):
    # Monday 2026-11-09 01:00 in Shanghai is Sunday 17:00 UTC: for Shanghai the week of 11-02 just ended.
    now = dt.datetime(2026, 11, 8, 17, 0, tzinfo=dt.UTC)
    assert sampling.last_complete_week(team, now) == WEEK
    team.timezone = "UTC"
    assert sampling.last_complete_week(team, now) == WEEK - dt.timedelta(days=7)


def test_the_weekly_job_samples_every_active_rule_for_last_week(team, sibling_team, qa_inspector, agent, manager):
    week = sampling.last_complete_week(team)
    sibling_agent = member(sibling_team, Role.AGENT)
    member(sibling_team, Role.QA)
    chat(team, agent, local(week + dt.timedelta(days=3)))
    chat(sibling_team, sibling_agent, local(week + dt.timedelta(days=3)))
    chat(team, agent, local(week + dt.timedelta(days=8)))  # this week: not yet
    active = make_rule(team, qa_inspector)
    sibling_rule = make_rule(sibling_team, manager)
    switched_off = make_rule(team, qa_inspector)
    sampling.sampling_rule_deactivate(rule=switched_off, actor=qa_inspector)

    assert sampling_run_weekly_task.delay().get() == 2
    assert len(assigned(active, week)) == 1 and len(assigned(sibling_rule, week)) == 1
    assert not assigned(switched_off, week)
    assert sampling_run_weekly_task.delay().get() == 0
    assert sampling.sampling_run(team=team, week_start=week) == 0


def test_a_failing_rule_does_not_stop_the_others(monkeypatch, team, qa_inspector, agent):
    chat(team, agent)
    broken, working = make_rule(team, qa_inspector), make_rule(team, qa_inspector)
    week_sample = sampling.week_sample

    def fails_for_the_broken_rule(*, rule, **arguments):
        if rule.pk == broken.pk:
            raise RuntimeError("the database went away")
        return week_sample(rule=rule, **arguments)

    monkeypatch.setattr(sampling, "week_sample", fails_for_the_broken_rule)
    with pytest.raises(sampling.SamplingRunError):
        sampling.sampling_run(week_start=WEEK)
    assert len(assigned(working)) == 1


def test_submitting_the_review_marks_the_assignment_done(team, qa_inspector, agent):
    conversation = chat(team, agent)
    rule = make_rule(team, qa_inspector)
    sampling.week_sample(rule=rule, week_start=WEEK)
    assignment = ReviewAssignment.objects.get()
    scorecard = services.scorecard_create(team=team, actor=qa_inspector, name="Quality", criteria=CRITERIA)
    points = {c.pk: c.max_points for c in scorecard.criteria.all()}
    services.review_save(conversation=conversation, reviewer=qa_inspector, scorecard=scorecard, points=points)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.OPEN  # a draft is not done
    review = services.review_save(
        conversation=conversation, reviewer=qa_inspector, scorecard=scorecard, points=points, submit=True
    )
    assignment.refresh_from_db()
    assert (assignment.status, assignment.review) == (AssignmentStatus.DONE, review)


# --- rule services --------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["agent", "outsider", "sibling_agent"])
def test_only_supervisors_and_inspectors_of_the_team_set_rules(request, team, actor):
    with pytest.raises(PermissionDenied):
        make_rule(team, request.getfixturevalue(actor))
    assert not SamplingRule.objects.exists()


@pytest.mark.parametrize("actor", ["supervisor", "qa_inspector", "manager"])
def test_supervisors_inspectors_and_managers_set_rules(request, team, actor):
    assert make_rule(team, request.getfixturevalue(actor)).team == team


def test_rule_errors_name_the_field(team, other_team, supervisor, qa_inspector, agent, outsider):
    cases = [
        ({"reviewers": [agent]}, "reviewers"),
        ({"reviewers": [outsider]}, "reviewers"),
        ({"per_agent_per_week": 0}, "per_agent_per_week"),
        ({"kind": "gut_feeling"}, "kind"),
        ({"name": ""}, "name"),
    ]
    for fields, field in cases:
        values = {"name": "Weekly", "kind": SamplingKind.RANDOM, **fields}
        with pytest.raises(ValidationError) as error:
            sampling.sampling_rule_create(team=team, actor=supervisor, **values)
        assert field in error.value.message_dict, fields
    foreign = services.scorecard_create(team=other_team, actor=outsider, name="Theirs", criteria=CRITERIA)
    with pytest.raises(ValidationError) as error:
        make_rule(team, supervisor, scorecard=foreign)
    assert "scorecard" in error.value.message_dict
    assert not SamplingRule.objects.exists()


def test_update_keeps_the_kind_once_sampled_and_checks_permission(team, qa_inspector, supervisor, agent):
    chat(team, agent)
    rule = make_rule(team, qa_inspector)
    sampling.sampling_rule_update(rule=rule, actor=supervisor, kind=SamplingKind.LOW_RATING)  # nothing sampled yet
    sampling.sampling_rule_update(rule=rule, actor=supervisor, kind=SamplingKind.RANDOM, per_agent_per_week=4)
    sampling.week_sample(rule=rule, week_start=WEEK)
    with pytest.raises(ValidationError) as error:
        sampling.sampling_rule_update(rule=rule, actor=supervisor, kind=SamplingKind.COMPLAINT)
    assert "kind" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        sampling.sampling_rule_update(rule=rule, actor=agent, per_agent_per_week=9)
    rule.refresh_from_db()
    assert (rule.kind, rule.per_agent_per_week) == (SamplingKind.RANDOM, 4)


def test_a_reviewer_who_left_the_team_falls_back_to_the_inspectors(team, qa_inspector, supervisor, agent):
    chat(team, agent)
    rule = make_rule(team, qa_inspector, reviewers=[supervisor])
    supervisor.memberships.update(active=False)
    sampling.week_sample(rule=rule, week_start=WEEK)
    assert ReviewAssignment.objects.get().reviewer == qa_inspector
