"""The scorecard builder in the browser's pages: build, change, and a used scorecard gets a new version."""

from decimal import Decimal

from qa_reviews import services
from qa_reviews.models import Review, Scorecard
from tests.conversations.factories import ConversationFactory
from tests.qa_reviews.test_reviews import CRITERIA


def rows(*criteria: dict) -> dict:
    data = {"form-TOTAL_FORMS": str(len(criteria)), "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "1"}
    for index, criterion in enumerate(criteria):
        for key, value in criterion.items():
            data[f"form-{index}-{key}"] = value
    return data


GREETING = {"section": "Opening", "title": "Greets the customer", "weight": "1", "max_points": "2"}
ACCURACY = {"title": "Accurate answer", "weight": "3", "max_points": "5", "auto_fail": "on"}


def test_a_supervisor_builds_a_scorecard(client, supervisor, team):
    client.force_login(supervisor)
    assert 'id="scorecard-form"' in client.get("/qa/scorecards/new/").content.decode()
    response = client.post("/qa/scorecards/new/", {"name": "Chat quality", "team": team.pk, **rows(GREETING, ACCURACY)})
    scorecard = Scorecard.objects.get()
    assert response["Location"] == f"/qa/scorecards/{scorecard.pk}/"
    criteria = list(scorecard.criteria.values_list("section", "title", "weight", "max_points", "auto_fail"))
    assert criteria == [
        ("Opening", "Greets the customer", Decimal("1.00"), 2, False),
        ("", "Accurate answer", Decimal("3.00"), 5, True),
    ]


def test_a_bad_row_is_shown_and_nothing_saved(client, supervisor, team):
    client.force_login(supervisor)
    response = client.post(
        "/qa/scorecards/new/", {"name": "Chat quality", "team": team.pk, **rows({**GREETING, "max_points": "0"})}
    )
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert not Scorecard.objects.exists()


def test_deleted_rows_are_dropped_and_at_least_one_criterion_is_required(client, supervisor, team):
    client.force_login(supervisor)
    response = client.post(
        "/qa/scorecards/new/", {"name": "Chat quality", "team": team.pk, **rows({**GREETING, "DELETE": "on"})}
    )
    assert "Please submit at least 1 form." in response.content.decode()
    assert not Scorecard.objects.exists()


def test_changing_a_used_scorecard_creates_a_version_and_keeps_old_reviews(
    client, supervisor, qa_inspector, team, agent
):
    scorecard = services.scorecard_create(team=team, actor=supervisor, name="Chat quality", criteria=CRITERIA)
    conversation = ConversationFactory(team=team, agent=agent)
    points = {criterion.pk: criterion.max_points for criterion in scorecard.criteria.all()}
    review = services.review_save(
        conversation=conversation, reviewer=qa_inspector, scorecard=scorecard, points=points, submit=True
    )
    client.force_login(supervisor)
    page = client.get(f"/qa/scorecards/{scorecard.pk}/").content.decode()
    assert "saving creates a new version" in page
    response = client.post(
        f"/qa/scorecards/{scorecard.pk}/", {"name": "Chat quality", "team": team.pk, **rows(GREETING)}, follow=True
    )
    assert "Saved as version 2" in response.content.decode()
    new = Scorecard.objects.get(is_current=True)
    assert (new.family, new.version, new.criteria.count()) == (scorecard.family, 2, 1)
    review.refresh_from_db()
    assert review.scorecard_id == scorecard.pk and review.scorecard.criteria.count() == len(CRITERIA)
    assert Review.objects.get().total == Decimal("100.00")
    # An old version's page leads to the current one.
    assert client.get(f"/qa/scorecards/{scorecard.pk}/")["Location"] == f"/qa/scorecards/{new.pk}/"


def test_the_list_shows_current_and_earlier_versions(client, supervisor, team, django_assert_max_num_queries):
    for name in ("A", "B", "C"):
        services.scorecard_create(team=team, actor=supervisor, name=name, criteria=CRITERIA)
    client.force_login(supervisor)
    with django_assert_max_num_queries(8):
        page = client.get("/qa/scorecards/").content.decode()
    assert all(name in page for name in ("A", "B", "C")) and 'id="new-scorecard"' in page


def test_agents_cannot_build(client, agent, supervisor, team):
    scorecard = services.scorecard_create(team=team, actor=supervisor, name="Chat quality", criteria=CRITERIA)
    client.force_login(agent)
    assert client.get("/qa/scorecards/new/").status_code == 403
    assert client.get(f"/qa/scorecards/{scorecard.pk}/").status_code == 403
    response = client.post("/qa/scorecards/new/", {"name": "X", "team": team.pk, **rows(GREETING)})
    assert response.status_code == 403 and Scorecard.objects.count() == 1


def test_an_outsider_builds_only_for_their_own_team(client, outsider, supervisor, team):
    scorecard = services.scorecard_create(team=team, actor=supervisor, name="Chat quality", criteria=CRITERIA)
    client.force_login(outsider)
    assert client.get(f"/qa/scorecards/{scorecard.pk}/").status_code == 404
    response = client.post("/qa/scorecards/new/", {"name": "X", "team": team.pk, **rows(GREETING)})
    assert "Select a valid choice" in response.content.decode() and Scorecard.objects.count() == 1
