"""The award's working on hand-made weeks: winner, ties, eligibility, and the KPI figures it repeats."""

import datetime as dt
import math
import random
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.models import DailyAgentMetric
from kpi.selectors import DEFAULT_SCORE_WEIGHTS, composite_scores
from qa_reviews import services as qa
from qa_reviews.models import CalibrationSession, Review, ReviewStatus
from recognition.awards.computation import (
    FORMULA,
    NO_AGENT_WITH_METRICS,
    NO_ELIGIBLE_AGENT,
    TIE_BREAK,
    award_period_compute,
)
from recognition.models import AwardKind
from teams.models import Role
from tests.conversations.factories import ConversationFactory
from tests.factories import UserFactory, member
from tests.recognition.award_data import MONDAY, SUNDAY, rules, simple_weights, worked

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def compute(team, start=MONDAY, end=SUNDAY):
    return award_period_compute(team=team, kind=AwardKind.WEEKLY, period_start=start, period_end=end)


def by_name(breakdown) -> dict:
    return {candidate["username"]: candidate for candidate in breakdown["candidates"]}


@pytest.fixture
def carol(team):
    return member(team, Role.AGENT, username="carol", display_name="Carol Chen")


def test_clear_winner_with_the_whole_working(team, agent, second_agent, carol):
    simple_weights(team)
    # alice: most chats and best CSAT over two days; bob: least of both; carol in between.
    worked(team, agent, conversations=18, csat=4.8, qa_reviews=1, qa_average=90)
    worked(team, agent, day=SUNDAY, conversations=12, csat=4.8, qa_reviews=1, qa_average=70)
    worked(team, second_agent, conversations=20, csat=4.0)
    worked(team, carol, conversations=25, csat=4.5)
    worked(team, carol, day=MONDAY - dt.timedelta(days=1), conversations=99, csat=1)  # the week before: not counted

    breakdown = compute(team)

    assert breakdown["formula"] == FORMULA and breakdown["tie_break"] == TIE_BREAK
    assert breakdown["weights"] == {"conversations": "1.000", "csat_avg": "1.000"}
    assert breakdown["rules"] == {"min_conversations": 20, "min_qa_reviews": 1, "exclude_upheld_auto_fail": True}
    assert [(c["username"], c["rank"], c["total"]) for c in breakdown["candidates"]] == [
        ("alice", 1, 100.0),
        ("carol", 2, 56.25),  # (0.5 + 0.625) / 2
        ("bob", 3, 0.0),
    ]
    alice = by_name(breakdown)["alice"]
    assert alice == {
        "agent_id": agent.pk,
        "username": "alice",
        "display_name": agent.display_name,
        "rank": 1,
        "total": 100.0,
        "eligible": True,
        "ineligible": [],
        "conversations": 30,
        "qa_reviews": 2,
        "qa_score_avg": 80.0,
        "lines": [
            {"metric": "conversations", "value": 30, "normalised": 1.0, "weight": "1.000", "contribution": 50.0},
            {"metric": "csat_avg", "value": 4.8, "normalised": 1.0, "weight": "1.000", "contribution": 50.0},
        ],
    }
    carol_lines = by_name(breakdown)["carol"]["lines"]
    assert [line["contribution"] for line in carol_lines] == [25.0, 31.25]
    assert by_name(breakdown)["carol"]["display_name"] == "Carol Chen"
    assert (breakdown["winner_id"], breakdown["runner_up_id"], breakdown["margin"]) == (agent.pk, carol.pk, 43.75)
    assert breakdown["no_winner_reason"] == ""


def test_breakdown_numbers_equal_the_kpi_composite_scores(team, agent, second_agent, carol):
    # The team's default weights (five metrics, volume and quality), sales as Decimal amounts.
    for person, conversations, rating, seconds, sales in [
        (agent, 40, 4.2, 30, "1200.50"),
        (second_agent, 25, 4.9, 12, "300.00"),
        (carol, 33, 3.7, 45, "999.99"),
    ]:
        worked(
            team,
            person,
            conversations=conversations,
            csat=rating,
            first_response_count=conversations,
            first_response_ms_sum=seconds * 1000 * conversations,
            sales_amount=Decimal(sales),
            resolved=conversations - 3,
        )

    breakdown = compute(team)
    scores = composite_scores(team_id=team.pk, date_from=MONDAY, date_to=SUNDAY)

    assert breakdown["weights"] == {name: str(weight) for name, weight in DEFAULT_SCORE_WEIGHTS.items()}
    assert {c["agent_id"]: c["total"] for c in breakdown["candidates"]} == {s.agent_id: s.score for s in scores}
    for score in scores:
        candidate = next(c for c in breakdown["candidates"] if c["agent_id"] == score.agent_id)
        assert [(line["metric"], line["normalised"], line["weight"]) for line in candidate["lines"]] == [
            (line.metric, line.normalised, str(line.weight)) for line in score.lines
        ]
        assert [line["value"] for line in candidate["lines"]] == [
            None if line.value is None else float(line.value) for line in score.lines
        ]
        assert sum(line["contribution"] for line in candidate["lines"]) == pytest.approx(score.score, abs=1e-3)
    assert breakdown["winner_id"] == scores[0].agent_id


class TestTies:
    def test_equal_totals_go_to_more_conversations(self, team, agent, second_agent):
        simple_weights(team, csat_avg=1)
        worked(team, agent, conversations=25, csat=4.5)
        worked(team, second_agent, conversations=31, csat=4.5)
        breakdown = compute(team)
        assert [c["total"] for c in breakdown["candidates"]] == [100.0, 100.0]
        assert (breakdown["winner_id"], breakdown["runner_up_id"], breakdown["margin"]) == (
            second_agent.pk,
            agent.pk,
            0.0,
        )

    def test_then_the_higher_qa_score(self, team, agent, second_agent):
        simple_weights(team, csat_avg=1)
        worked(team, agent, conversations=25, csat=4.5, qa_average=85)
        worked(team, second_agent, conversations=25, csat=4.5, qa_average=92.5)
        assert compute(team)["winner_id"] == second_agent.pk

    def test_then_the_username_whatever_the_order_of_the_rows(self, team, second_agent, agent, carol):
        simple_weights(team, csat_avg=1)
        for person in (carol, second_agent, agent):  # rows written in reverse alphabetical order
            worked(team, person, conversations=25, csat=4.5)
        breakdown = compute(team)
        assert [c["username"] for c in breakdown["candidates"]] == ["alice", "bob", "carol"]
        assert [c["rank"] for c in breakdown["candidates"]] == [1, 2, 3]
        assert breakdown["winner_id"] == agent.pk
        assert compute(team) == breakdown  # deterministic

    def test_no_qa_score_ranks_below_any_qa_score(self, team, agent, second_agent):
        simple_weights(team, csat_avg=1)
        rules(team, min_qa_reviews=0)
        worked(team, agent, conversations=25, csat=4.5, qa_reviews=0)
        worked(team, second_agent, conversations=25, csat=4.5, qa_average=10)
        breakdown = compute(team)
        assert by_name(breakdown)["alice"]["qa_score_avg"] is None
        assert breakdown["winner_id"] == second_agent.pk


class TestEligibility:
    def test_too_few_conversations(self, team, agent, second_agent):
        simple_weights(team, csat_avg=1)
        rules(team, min_conversations=20)
        worked(team, agent, conversations=19, csat=5.0)  # the best CSAT, one chat short
        worked(team, second_agent, conversations=20, csat=4.0)
        breakdown = compute(team)
        top = breakdown["candidates"][0]
        assert (top["username"], top["rank"], top["eligible"], top["ineligible"]) == (
            "alice",
            1,
            False,
            ["min_conversations"],
        )
        assert (breakdown["winner_id"], breakdown["runner_up_id"], breakdown["margin"]) == (second_agent.pk, None, None)

    def test_no_qa_reviews(self, team, agent, second_agent):
        simple_weights(team)
        worked(team, agent, conversations=40, csat=5.0, qa_reviews=0)
        worked(team, second_agent, conversations=30, csat=4.0)
        breakdown = compute(team)
        assert by_name(breakdown)["alice"]["ineligible"] == ["min_qa_reviews"]
        assert breakdown["winner_id"] == second_agent.pk

    def test_rules_the_team_set_apply_and_every_reason_is_listed(self, team, agent, second_agent):
        simple_weights(team)
        rules(team, min_conversations=50, min_qa_reviews=3)
        worked(team, agent, conversations=40, csat=5.0, qa_reviews=2)
        worked(team, second_agent, conversations=60, csat=4.0, qa_reviews=3)
        breakdown = compute(team)
        assert breakdown["rules"]["min_conversations"] == 50
        assert by_name(breakdown)["alice"]["ineligible"] == ["min_conversations", "min_qa_reviews"]
        assert breakdown["winner_id"] == second_agent.pk

    def test_nobody_eligible(self, team, agent, second_agent):
        simple_weights(team)
        worked(team, agent, conversations=5, csat=5.0)
        worked(team, second_agent, conversations=8, csat=4.0)
        breakdown = compute(team)
        assert len(breakdown["candidates"]) == 2
        assert (breakdown["winner_id"], breakdown["runner_up_id"], breakdown["margin"]) == (None, None, None)
        assert breakdown["no_winner_reason"] == NO_ELIGIBLE_AGENT

    def test_nobody_worked(self, team, agent):
        simple_weights(team)
        breakdown = compute(team)
        assert breakdown["candidates"] == [] and breakdown["winner_id"] is None
        assert breakdown["no_winner_reason"] == NO_AGENT_WITH_METRICS
        assert breakdown["weights"] == {"conversations": "1.000", "csat_avg": "1.000"}


CRITERIA = [
    {"title": "Solves the problem", "weight": 3, "max_points": 5},
    {"title": "No rude language", "weight": 1, "max_points": 1, "auto_fail": True},
]


@pytest.fixture
def scorecard(team, qa_inspector):
    return qa.scorecard_create(team=team, actor=qa_inspector, name="Chat quality", criteria=CRITERIA)


@pytest.fixture
def top_scorer_with_a_chat(team, agent, second_agent):
    """alice tops the week; bob is second; alice has a chat on Wednesday that QA reviews."""
    simple_weights(team)
    worked(team, agent, conversations=40, csat=5.0)
    worked(team, second_agent, conversations=30, csat=4.0)
    return ConversationFactory(team=team, agent=agent, started_at=dt.datetime(2026, 11, 18, 10, tzinfo=SHANGHAI))


def review(scorecard, conversation, reviewer, rude: bool) -> Review:
    criteria = list(scorecard.criteria.values_list("pk", flat=True))
    return qa.review_save(
        conversation=conversation,
        reviewer=reviewer,
        scorecard=scorecard,
        points=dict(zip(criteria, [5, 0 if rude else 1], strict=True)),
        submit=True,
    )


class TestAutoFail:
    def test_an_upheld_auto_fail_excludes_the_top_scorer(
        self, scorecard, top_scorer_with_a_chat, qa_inspector, supervisor, agent, second_agent
    ):
        failed = review(scorecard, top_scorer_with_a_chat, qa_inspector, rude=True)
        assert failed.auto_failed
        breakdown = compute(top_scorer_with_a_chat.team)
        assert by_name(breakdown)["alice"]["ineligible"] == ["upheld_auto_fail"]
        assert breakdown["winner_id"] == second_agent.pk
        # Disputed, and the supervisor upholds the score: still excluded.
        qa.review_dispute(review=failed, agent=agent, reason="The customer swore first")
        qa.dispute_resolve(review=failed, supervisor=supervisor, resolution="Upheld: never swear back")
        assert compute(top_scorer_with_a_chat.team)["winner_id"] == second_agent.pk

    def test_an_open_dispute_leaves_the_auto_fail_standing(
        self, scorecard, top_scorer_with_a_chat, qa_inspector, agent, second_agent
    ):
        failed = review(scorecard, top_scorer_with_a_chat, qa_inspector, rude=True)
        qa.review_dispute(review=failed, agent=agent, reason="Not rude")
        assert compute(top_scorer_with_a_chat.team)["winner_id"] == second_agent.pk

    def test_an_auto_fail_overturned_by_a_resolved_dispute_does_not_exclude(
        self, scorecard, top_scorer_with_a_chat, qa_inspector, supervisor, agent
    ):
        failed = review(scorecard, top_scorer_with_a_chat, qa_inspector, rude=True)
        qa.review_dispute(review=failed, agent=agent, reason="I was quoting the customer")
        points = dict(zip(scorecard.criteria.values_list("pk", flat=True), [5, 1], strict=True))
        resolved = qa.dispute_resolve(review=failed, supervisor=supervisor, resolution="Quoting is fine", points=points)
        assert resolved.status == ReviewStatus.RESOLVED and not resolved.auto_failed
        breakdown = compute(top_scorer_with_a_chat.team)
        assert by_name(breakdown)["alice"]["eligible"] and breakdown["winner_id"] == agent.pk

    def test_drafts_calibration_scores_and_other_weeks_do_not_count(
        self, team, scorecard, top_scorer_with_a_chat, qa_inspector, supervisor, agent
    ):
        criteria = list(scorecard.criteria.values_list("pk", flat=True))
        qa.review_save(
            conversation=top_scorer_with_a_chat,
            reviewer=qa_inspector,
            scorecard=scorecard,
            points=dict(zip(criteria, [5, 0], strict=True)),
            submit=False,
        )
        session = CalibrationSession.objects.create(team=team, name="Calibration", scorecard=scorecard)
        Review.objects.create(
            conversation=top_scorer_with_a_chat,
            team=team,
            agent=agent,
            reviewer=supervisor,
            scorecard=scorecard,
            status=ReviewStatus.SUBMITTED,
            total=0,
            auto_failed=True,
            calibration=session,
        )
        # Sunday 23:30 UTC is Monday 07:30 in Shanghai: the next week in the team's calendar.
        next_week = ConversationFactory(
            team=team, agent=agent, started_at=dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.UTC)
        )
        review(scorecard, next_week, qa_inspector, rude=True)
        assert compute(team)["winner_id"] == agent.pk

    def test_the_rule_can_be_switched_off(self, team, scorecard, top_scorer_with_a_chat, qa_inspector, agent):
        rules(team, exclude_upheld_auto_fail=False)
        review(scorecard, top_scorer_with_a_chat, qa_inspector, rude=True)
        breakdown = compute(team)
        assert breakdown["rules"]["exclude_upheld_auto_fail"] is False
        assert breakdown["winner_id"] == agent.pk


def _agents(team, count: int) -> list:
    users = UserFactory._meta.model.objects.bulk_create(
        [UserFactory.build(username=f"agent-{team.pk}-{n:04d}", password="!") for n in range(count)]
    )
    rows = []
    for n, user in enumerate(users):
        for day in range(7):
            rows.append(
                DailyAgentMetric(
                    team=team,
                    agent=user,
                    date=MONDAY + dt.timedelta(days=day),
                    conversations=3 + n % 7,
                    resolved=2 + n % 3,
                    rated=2,
                    rating_sum=6 + n % 5,
                    first_response_count=3,
                    first_response_ms_sum=3000 * (1 + n % 11),
                    sales_amount=Decimal(10 * (n % 13)),
                    qa_reviews=n % 2,
                    qa_score_sum=Decimal(80 * (n % 2)),
                )
            )
    DailyAgentMetric.objects.bulk_create(rows)
    return users


@pytest.mark.parametrize("size", [5, 200])
def test_a_fixed_number_of_queries_whatever_the_team_size(team, size, django_assert_num_queries):
    _agents(team, size)
    # the rules, the weights, the period's scores, the counts and names, the upheld auto-fails
    with django_assert_num_queries(5):
        breakdown = compute(team)
    assert len(breakdown["candidates"]) == size


# --- against a plain reference on generated weeks ---------------------------------------------------------

agent_week = st.fixed_dictionaries(
    {
        "conversations": st.integers(0, 40),
        "rated": st.integers(0, 10),
        "stars": st.integers(1, 5),
        "qa_reviews": st.integers(0, 3),
        "qa_score": st.sampled_from([0, 60, 80, 100]),
        "auto_fail": st.booleans(),
    }
)


def reference_winner(weeks: dict, rule_min_conversations: int) -> tuple:
    """Plain reference: totals from composite_scores, rules and the tie-break written out by hand."""
    scores = {s.username: s.score for s in composite_scores(team_id=weeks["team"].pk, date_from=MONDAY, date_to=SUNDAY)}
    rows = []
    for user, week in weeks["agents"].items():
        if user.username not in scores:
            continue
        qa_average = week["qa_score"] if week["qa_reviews"] else None
        eligible = week["conversations"] >= rule_min_conversations and week["qa_reviews"] >= 1 and not week["auto_fail"]
        rows.append((scores[user.username], week["conversations"], qa_average, user.username, user.pk, eligible))
    rows.sort(key=lambda r: (-r[0], -r[1], -(r[2] if r[2] is not None else -math.inf), r[3]))
    eligible = [r for r in rows if r[5]]
    return (
        eligible[0][4] if eligible else None,
        eligible[1][4] if len(eligible) > 1 else None,
        [r[4] for r in rows],
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(weeks=st.lists(agent_week, min_size=1, max_size=6), seed=st.integers(), minimum=st.integers(0, 25))
def test_winner_and_ranking_match_a_reference(team, scorecard, qa_inspector, weeks, seed, minimum):
    with transaction.atomic():
        rules(team, min_conversations=minimum)
        people = {}
        for n, week in enumerate(weeks):
            person = member(team, Role.AGENT, username=f"gen-{n}")
            people[person] = week
            day = MONDAY + dt.timedelta(days=random.Random(seed + n).randrange(7))
            worked(
                team,
                person,
                day=day,
                conversations=week["conversations"],
                csat=week["stars"],
                rated=week["rated"],
                qa_reviews=week["qa_reviews"],
                qa_average=week["qa_score"],
            )
            if week["auto_fail"]:
                chat = ConversationFactory(
                    team=team, agent=person, started_at=dt.datetime.combine(day, dt.time(12), tzinfo=SHANGHAI)
                )
                review(scorecard, chat, qa_inspector, rude=True)
        breakdown = compute(team)
        winner, runner_up, order = reference_winner({"team": team, "agents": people}, minimum)
        assert (breakdown["winner_id"], breakdown["runner_up_id"]) == (winner, runner_up)
        assert [c["agent_id"] for c in breakdown["candidates"]] == order
        transaction.set_rollback(True)


def test_the_benchmark_figure_runs_the_same_queries_at_two_sizes(db):
    from recognition.benchmark import AWARD_BENCH_TEAM, award_bench_measure, award_bench_report
    from teams.models import Team

    results = award_bench_measure(repeat=1, sizes=(4, 40))
    assert [r["candidates"] for r in results] == [4, 40]
    assert (results[0]["compute_queries"], results[0]["grant_queries"]) == (
        results[1]["compute_queries"],
        results[1]["grant_queries"],
    )
    lines = []
    award_bench_report(results, lines.append)
    assert "  ok    same number of queries at 4 and 40 agents" in lines
    assert not Team.objects.filter(name=AWARD_BENCH_TEAM).exists()  # removed afterwards
