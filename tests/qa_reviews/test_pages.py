"""QA pages: scoring beside the chat, the agent acknowledging or disputing, a supervisor resolving."""

from decimal import Decimal

import pytest

from qa_reviews import services
from qa_reviews.models import Review, ReviewStatus
from tests.conversations.factories import ConversationFactory, MessageFactory
from tests.qa_reviews.test_reviews import CRITERIA


@pytest.fixture
def scorecard(team, qa_inspector):
    return services.scorecard_create(team=team, actor=qa_inspector, name="Chat quality", criteria=CRITERIA)


@pytest.fixture
def conversation(team, agent):
    conversation = ConversationFactory(team=team, agent=agent)
    MessageFactory(conversation=conversation, text="您好，请问有蓝色吗？")
    return conversation


def form_points(scorecard, values):
    return {
        f"criterion-{pk}": value
        for pk, value in zip(scorecard.criteria.values_list("pk", flat=True), values, strict=True)
    }


def test_inspector_scores_beside_the_chat(client, qa_inspector, conversation, scorecard):
    client.force_login(qa_inspector)
    page = client.get(f"/qa/conversations/{conversation.pk}/review/").content.decode()
    assert "您好，请问有蓝色吗？" in page and 'id="review-form"' in page
    response = client.post(
        f"/qa/conversations/{conversation.pk}/review/",
        {"scorecard": scorecard.pk, **form_points(scorecard, ["1", "4", "na", "1"]), "comment": "Good", "submit": "1"},
    )
    review = Review.objects.get()
    assert response["Location"] == f"/qa/reviews/{review.pk}/"
    assert (review.status, review.total) == (ReviewStatus.SUBMITTED, Decimal("88.00"))


def test_a_missing_score_is_reported_and_nothing_submitted(client, qa_inspector, conversation, scorecard):
    client.force_login(qa_inspector)
    response = client.post(
        f"/qa/conversations/{conversation.pk}/review/",
        {"scorecard": scorecard.pk, **form_points(scorecard, ["1", "", "na", "1"]), "submit": "1"},
        follow=True,
    )
    assert "Score every criterion" in response.content.decode()
    assert not Review.objects.exists()


@pytest.mark.parametrize("actor", ["agent", "second_agent", "outsider"])
def test_only_supervisors_and_qa_open_the_scoring_page(client, request, actor, conversation, scorecard):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(f"/qa/conversations/{conversation.pk}/review/").status_code in (403, 404)


def test_agent_disputes_and_supervisor_resolves(client, agent, qa_inspector, supervisor, conversation, scorecard):
    ids = list(scorecard.criteria.values_list("pk", flat=True))
    review = services.review_save(
        conversation=conversation,
        reviewer=qa_inspector,
        scorecard=scorecard,
        points=dict(zip(ids, [1, 4, None, 1], strict=True)),
        reviewer_notes="secret",
        submit=True,
    )
    client.force_login(agent)
    page = client.get(f"/qa/reviews/{review.pk}/").content.decode()
    assert "88.00" in page and "secret" not in page
    client.post(f"/qa/reviews/{review.pk}/dispute/", {"reason": "I answered in time"})
    client.force_login(supervisor)
    assert "secret" in client.get(f"/qa/reviews/{review.pk}/").content.decode()
    client.post(f"/qa/reviews/{review.pk}/resolve/", {"resolution": "Upheld: the log shows 40 s"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.RESOLVED


def test_another_agent_cannot_open_the_review(client, second_agent, qa_inspector, conversation, scorecard):
    ids = list(scorecard.criteria.values_list("pk", flat=True))
    review = services.review_save(
        conversation=conversation,
        reviewer=qa_inspector,
        scorecard=scorecard,
        points=dict(zip(ids, [1, 4, None, 1], strict=True)),
        submit=True,
    )
    client.force_login(second_agent)
    assert client.get(f"/qa/reviews/{review.pk}/").status_code == 404
    assert client.post(f"/qa/reviews/{review.pk}/acknowledge/").status_code == 404
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED


def test_a_saved_draft_shows_its_points_again(client, qa_inspector, conversation, scorecard):
    client.force_login(qa_inspector)
    client.post(
        f"/qa/conversations/{conversation.pk}/review/",
        {"scorecard": scorecard.pk, **form_points(scorecard, ["1", "3", "na", "0"])},
    )
    assert Review.objects.get().status == ReviewStatus.DRAFT
    page = client.get(f"/qa/conversations/{conversation.pk}/review/").content.decode()
    assert '<option value="3" selected>' in page and '<option value="na" selected>' in page
    form = page[page.index('id="review-form"') :]
    assert form.count(" selected>") == 4


def test_comments_pinned_to_messages_are_saved_and_shown(client, qa_inspector, agent, conversation, scorecard):
    message = conversation.messages.get()
    client.force_login(qa_inspector)
    page = client.get(f"/qa/conversations/{conversation.pk}/review/").content.decode()
    assert f'name="message-{message.pk}"' in page
    client.post(
        f"/qa/conversations/{conversation.pk}/review/",
        {
            "scorecard": scorecard.pk,
            **form_points(scorecard, ["1", "4", "na", "1"]),
            f"message-{message.pk}": "Answer the colour question first",
            "message-999999": "",  # blank boxes pin nothing
            "submit": "1",
        },
    )
    review = Review.objects.get()
    assert list(review.message_comments.values_list("message_id", "text")) == [
        (message.pk, "Answer the colour question first")
    ]
    client.force_login(agent)
    page = client.get(f"/qa/reviews/{review.pk}/").content.decode()
    assert "Answer the colour question first" in page and "您好，请问有蓝色吗？" in page


def test_supervisor_changes_a_disputed_score_and_history_keeps_both(
    client, agent, qa_inspector, supervisor, conversation, scorecard
):
    ids = list(scorecard.criteria.values_list("pk", flat=True))
    review = services.review_save(
        conversation=conversation,
        reviewer=qa_inspector,
        scorecard=scorecard,
        points=dict(zip(ids, [1, 4, None, 1], strict=True)),
        submit=True,
    )
    services.review_dispute(review=review, agent=agent, reason="I solved it fully")
    client.force_login(supervisor)
    assert 'id="change-score"' in client.get(f"/qa/reviews/{review.pk}/").content.decode()
    client.post(
        f"/qa/reviews/{review.pk}/resolve/",
        {"resolution": "Fully solved", "decision": "change", **form_points(scorecard, ["1", "5", "na", "1"])},
    )
    review.refresh_from_db()
    assert (review.status, review.total) == (ReviewStatus.RESOLVED, Decimal("100.00"))
    assert [change.total for change in review.history.all()] == [Decimal("88.00"), Decimal("88.00"), Decimal("100.00")]
