"""QA through the API: who sees which review and field, and the acknowledge / dispute / resolve flow."""

import pytest

from qa_reviews.models import Review, Scorecard
from tests.conversations.factories import ConversationFactory, MessageFactory
from tests.qa_reviews.test_reviews import CRITERIA


@pytest.fixture
def scorecard_id(api, qa_inspector, team):
    response = api.as_user(qa_inspector).post(
        "/api/v1/qa/scorecards/", {"team": team.pk, "name": "Chat quality", "criteria": CRITERIA}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.fixture
def conversation(team, agent):
    conversation = ConversationFactory(team=team, agent=agent)
    MessageFactory(conversation=conversation)
    return conversation


def score(api, reviewer, conversation, scorecard_id, submit=True, values=(1, 4, None, 1)):
    ids = list(Scorecard.objects.get(pk=scorecard_id).criteria.values_list("pk", flat=True))
    body = {
        "conversation": conversation.pk,
        "scorecard": scorecard_id,
        "points": {str(i): v for i, v in zip(ids, values, strict=True)},
        "comment": "Good fix",
        "reviewer_notes": "Tone could be warmer",
        "submit": submit,
    }
    return api.as_user(reviewer).post("/api/v1/qa/reviews/", body, format="json")


def test_agents_cannot_build_scorecards(api, agent, team):
    response = api.as_user(agent).post(
        "/api/v1/qa/scorecards/", {"team": team.pk, "name": "x", "criteria": CRITERIA}, format="json"
    )
    assert response.status_code == 403 and not Scorecard.objects.exists()


def test_review_visibility_and_reviewer_notes(
    api, qa_inspector, agent, second_agent, supervisor, outsider, conversation, scorecard_id
):
    draft = score(api, qa_inspector, conversation, scorecard_id, submit=False).json()
    assert api.as_user(agent).get(f"/api/v1/qa/reviews/{draft['id']}/").status_code == 404  # drafts stay with QA
    submitted = score(api, supervisor, conversation, scorecard_id).json()
    assert submitted["total"] == "88.00"
    own = api.as_user(agent).get(f"/api/v1/qa/reviews/{submitted['id']}/").json()
    assert "reviewer_notes" not in own and own["comment"] == "Good fix"
    assert (
        api.as_user(qa_inspector).get(f"/api/v1/qa/reviews/{submitted['id']}/").json()["reviewer_notes"]
        == "Tone could be warmer"
    )
    for stranger in (second_agent, outsider):
        assert api.as_user(stranger).get(f"/api/v1/qa/reviews/{submitted['id']}/").status_code == 404
    assert [r["id"] for r in api.as_user(agent).get("/api/v1/qa/reviews/").json()["results"]] == [submitted["id"]]


def test_invalid_points_name_the_criterion(api, qa_inspector, conversation, scorecard_id):
    response = score(api, qa_inspector, conversation, scorecard_id, values=(1, 9, None, 1))
    assert response.status_code == 400 and any(key.startswith("points[") for key in response.json())
    assert not Review.objects.exists()


def test_dispute_flow_through_the_api(api, qa_inspector, agent, second_agent, supervisor, conversation, scorecard_id):
    review_id = score(api, qa_inspector, conversation, scorecard_id).json()["id"]
    assert (
        api.as_user(second_agent)
        .post(f"/api/v1/qa/reviews/{review_id}/dispute/", {"reason": "x"}, format="json")
        .status_code
        == 404
    )
    disputed = api.as_user(agent).post(
        f"/api/v1/qa/reviews/{review_id}/dispute/", {"reason": "I did greet"}, format="json"
    )
    assert disputed.json()["status"] == "disputed"
    assert api.as_user(agent).post(
        f"/api/v1/qa/reviews/{review_id}/resolve/", {"resolution": "mine"}, format="json"
    ).status_code in (403, 404)
    resolved = api.as_user(supervisor).post(
        f"/api/v1/qa/reviews/{review_id}/resolve/", {"resolution": "Upheld"}, format="json"
    )
    assert resolved.json()["status"] == "resolved" and resolved.json()["total"] == "88.00"
    assert [h["status"] for h in resolved.json()["history"]] == ["submitted", "disputed", "resolved"]


def test_scorecard_revision_through_the_api(api, qa_inspector, conversation, scorecard_id):
    score(api, qa_inspector, conversation, scorecard_id)
    revised = api.as_user(qa_inspector).patch(
        f"/api/v1/qa/scorecards/{scorecard_id}/", {"criteria": CRITERIA[:2]}, format="json"
    )
    assert revised.status_code == 200 and revised.json()["version"] == 2
