"""Scorecards, weighted totals with N/A and auto-fail, versioning, and the dispute flow."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qa_reviews import services
from qa_reviews.models import Review, ReviewStatus, Scorecard
from qa_reviews.scoring import ScoredCriterion, review_total
from tests.conversations.factories import ConversationFactory, MessageFactory

CRITERIA = [
    {"section": "Opening", "title": "Greets within 30 s", "weight": 1, "max_points": 1},
    {"section": "Solution", "title": "Solves the problem", "weight": 3, "max_points": 5},
    {"section": "Solution", "title": "Offers an upsell", "weight": 1, "max_points": 2, "allow_not_applicable": True},
    {"section": "Compliance", "title": "No rude language", "weight": 1, "max_points": 1, "auto_fail": True},
]


def test_weighted_total_with_not_applicable_and_auto_fail():
    scores = [
        ScoredCriterion(Decimal(1), 1, 1),
        ScoredCriterion(Decimal(3), 5, 4),
        ScoredCriterion(Decimal(1), 2, None),  # not applicable: out of both sums
        ScoredCriterion(Decimal(1), 1, 1, auto_fail=True),
    ]
    # (1 x 1 + 3 x 0.8 + 1 x 1) / (1 + 3 + 1) = 4.4 / 5 = 88
    assert review_total(scores) == (Decimal("88.00"), False)
    failed = [*scores[:3], ScoredCriterion(Decimal(1), 1, 0, auto_fail=True)]
    assert review_total(failed) == (Decimal("0.00"), True)
    assert review_total([ScoredCriterion(Decimal(1), 2, None)]) == (None, False)
    assert review_total([ScoredCriterion(Decimal(2), 3, 1), ScoredCriterion(Decimal(1), 3, 2)]) == (
        Decimal("44.44"),
        False,
    )


@pytest.fixture
def scorecard(team, qa_inspector):
    return services.scorecard_create(team=team, actor=qa_inspector, name="Chat quality", criteria=CRITERIA)


@pytest.fixture
def conversation(team, agent):
    conversation = ConversationFactory(team=team, agent=agent)
    MessageFactory(conversation=conversation, text="hi")
    return conversation


def points(scorecard, values):
    return dict(zip(scorecard.criteria.values_list("pk", flat=True), values, strict=True))


def test_inspector_scores_and_submits(scorecard, conversation, qa_inspector, agent):
    message = conversation.messages.get()
    review = services.review_save(
        conversation=conversation,
        reviewer=qa_inspector,
        scorecard=scorecard,
        points=points(scorecard, [1, 4, None, 1]),
        comment="Good fix",
        reviewer_notes="Watch the tone next time",
        message_comments={message.pk: "Warm greeting"},
        submit=True,
    )
    assert (review.status, review.total, review.auto_failed) == (ReviewStatus.SUBMITTED, Decimal("88.00"), False)
    assert review.message_comments.get().message == message
    with pytest.raises(ValidationError):
        services.review_save(
            conversation=conversation,
            reviewer=qa_inspector,
            scorecard=scorecard,
            points=points(scorecard, [0, 0, 0, 0]),
        )


@pytest.mark.parametrize(
    ("values", "field_fragment"),
    [([1, 6, 1, 1], "points["), ([1, 4, 1, None], "always applies"), ([1, 4, 1], "Score every criterion")],
)
def test_invalid_points_are_rejected_and_nothing_is_written(
    scorecard, conversation, qa_inspector, values, field_fragment
):
    ids = list(scorecard.criteria.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as error:
        services.review_save(
            conversation=conversation,
            reviewer=qa_inspector,
            scorecard=scorecard,
            points=dict(zip(ids, values, strict=False)),
            submit=True,
        )
    assert field_fragment in str(error.value.message_dict)
    assert not Review.objects.exists()


def test_nobody_reviews_their_own_chat_and_agents_review_nobody(
    scorecard, conversation, agent, second_agent, supervisor
):
    with pytest.raises(PermissionDenied):
        services.review_save(
            conversation=conversation,
            reviewer=second_agent,
            scorecard=scorecard,
            points=points(scorecard, [1, 1, 1, 1]),
        )
    own = ConversationFactory(team=conversation.team, agent=supervisor)
    with pytest.raises(PermissionDenied):
        services.review_save(
            conversation=own, reviewer=supervisor, scorecard=scorecard, points=points(scorecard, [1, 1, 1, 1])
        )


def test_editing_a_used_scorecard_makes_a_new_version(scorecard, conversation, qa_inspector):
    review = services.review_save(
        conversation=conversation,
        reviewer=qa_inspector,
        scorecard=scorecard,
        points=points(scorecard, [1, 5, 2, 1]),
        submit=True,
    )
    revised = services.scorecard_revise(scorecard=scorecard, actor=qa_inspector, criteria=CRITERIA[:2])
    assert (revised.version, revised.family, revised.pk != scorecard.pk) == (2, scorecard.family, True)
    review.refresh_from_db()
    assert review.scorecard_id == scorecard.pk and review.scores.count() == 4 and review.total == Decimal("100.00")
    assert list(Scorecard.objects.filter(family=scorecard.family).values_list("version", "is_current")) == [
        (2, True),
        (1, False),
    ]


def test_unused_scorecard_is_edited_in_place(scorecard, qa_inspector):
    revised = services.scorecard_revise(scorecard=scorecard, actor=qa_inspector, criteria=CRITERIA[:1])
    assert revised.pk == scorecard.pk and revised.criteria.count() == 1


def test_acknowledge_dispute_and_resolution_keep_history(
    scorecard, conversation, qa_inspector, agent, second_agent, supervisor
):
    review = services.review_save(
        conversation=conversation,
        reviewer=qa_inspector,
        scorecard=scorecard,
        points=points(scorecard, [0, 2, None, 1]),
        submit=True,
    )
    with pytest.raises(PermissionDenied):
        services.review_dispute(review=review, agent=second_agent, reason="not mine")
    with pytest.raises(ValidationError):
        services.review_dispute(review=review, agent=agent, reason=" ")
    services.review_dispute(review=review, agent=agent, reason="I greeted within 10 seconds")
    with pytest.raises(PermissionDenied):
        services.dispute_resolve(
            review=review, supervisor=qa_inspector, resolution="no"
        )  # QA does not judge its own review
    resolved = services.dispute_resolve(
        review=review,
        supervisor=supervisor,
        resolution="The log shows a greeting at 0:08",
        points=points(scorecard, [1, 2, None, 1]),
    )
    assert resolved.status == ReviewStatus.RESOLVED and resolved.total > Decimal("0")
    # (0 + 3 x 2/5 + 1) / 5 = 44; after the correction (1 + 3 x 2/5 + 1) / 5 = 64
    assert [(c.status, c.total) for c in resolved.history.all()] == [
        ("submitted", Decimal("44.00")),
        ("disputed", Decimal("44.00")),
        ("resolved", Decimal("64.00")),
    ]


def test_acknowledge_only_by_the_agent(scorecard, conversation, qa_inspector, agent, second_agent):
    review = services.review_save(
        conversation=conversation,
        reviewer=qa_inspector,
        scorecard=scorecard,
        points=points(scorecard, [1, 5, 2, 1]),
        submit=True,
    )
    with pytest.raises(PermissionDenied):
        services.review_acknowledge(review=review, agent=second_agent)
    assert services.review_acknowledge(review=review, agent=agent).status == ReviewStatus.ACKNOWLEDGED


def test_submitted_reviews_feed_the_agents_qa_score(scorecard, conversation, qa_inspector, supervisor, agent):
    from kpi.models import DailyAgentMetric, StaleMetricDay
    from kpi.services import stale_days_recompute

    services.review_save(
        conversation=conversation,
        reviewer=qa_inspector,
        scorecard=scorecard,
        points=points(scorecard, [1, 4, None, 1]),
        submit=True,
    )  # 88
    services.review_save(
        conversation=conversation,
        reviewer=supervisor,
        scorecard=scorecard,
        points=points(scorecard, [1, 5, 2, 1]),
        submit=True,
    )  # 100
    assert StaleMetricDay.objects.exists()
    stale_days_recompute()
    row = DailyAgentMetric.objects.get(agent=agent)
    assert (row.qa_reviews, row.qa_score_sum, row.qa_score_avg) == (2, Decimal("188.00"), 94.0)


def test_invalid_criterion_is_named_by_position_and_field(team, qa_inspector):
    with pytest.raises(ValidationError) as error:
        services.scorecard_create(
            team=team, actor=qa_inspector, name="x", criteria=[{"title": "", "weight": 1, "max_points": 1}]
        )
    assert "criteria[0].title" in error.value.message_dict
    assert not Scorecard.objects.exists()
