"""Calibration sessions: blind scoring, closing, spread, Krippendorff's alpha, deviation, and who sees what."""

import zoneinfo
from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Notification
from qa_reviews import calibration, services
from qa_reviews.models import CalibrationSession, CalibrationStatus, Review, ReviewStatus
from teams.models import Role
from tests.conversations.factories import ConversationFactory, MessageFactory
from tests.factories import member
from tests.qa_reviews.test_reviews import CRITERIA
from tests.query_counts import cold_start

ONE_CRITERION = [{"title": "Solves the problem", "weight": 1, "max_points": 2}]


@pytest.fixture
def scorecard(team, qa_inspector):
    return services.scorecard_create(team=team, actor=qa_inspector, name="Chat quality", criteria=CRITERIA)


@pytest.fixture
def simple_scorecard(team, qa_inspector):
    return services.scorecard_create(team=team, actor=qa_inspector, name="One question", criteria=ONE_CRITERION)


@pytest.fixture
def conversations(team, agent, second_agent):
    chats = [ConversationFactory(team=team, agent=agent if n % 2 == 0 else second_agent) for n in range(3)]
    for chat in chats:
        MessageFactory(conversation=chat, text=f"我要退货 {chat.external_id}")
    return chats


def open_session(creator, reviewers, conversations, scorecard, name="November calibration"):
    return calibration.calibration_create(
        team=conversations[0].team,
        actor=creator,
        name=name,
        scorecard=scorecard,
        conversations=conversations,
        reviewers=reviewers,
    )


def criterion_ids(scorecard) -> list[int]:
    return list(scorecard.criteria.values_list("pk", flat=True))


def blind_score(session, reviewer, conversation, values, submit=True, comment=""):
    ids = criterion_ids(session.scorecard)
    return calibration.calibration_score(
        session=session,
        reviewer=reviewer,
        conversation=conversation,
        points=dict(zip(ids, values, strict=True)),
        comment=comment,
        submit=submit,
    )


# ------------------------------------------------------------------------------------- the statistics


def test_alpha_on_a_hand_computed_case(qa_inspector, supervisor, conversations, simple_scorecard):
    """Two reviewers, three units, one criterion of 0-2 points, normalised to points / 2.

        unit:       c1    c2    c3
        quinn:     1.0   0.5   0.0     (2, 1, 0 points)
        sue:       1.0   0.5   0.5     (2, 1, 1 points)

    Interval alpha = 1 - D_o / D_e, with n = 6 pairable values (every unit has two).
    Observed disagreement, within units, over ordered pairs, each unit divided by m_u - 1 = 1:
        D_o = (2 x 0^2 + 2 x 0^2 + 2 x 0.5^2) / n = 0.5 / 6 = 1/12
    Expected disagreement, over all ordered pairs of the six values {1, 1, 0.5, 0.5, 0.5, 0}:
        unordered pairs: 1 vs 0.5: 2 x 3 x 0.25 = 1.5;  1 vs 0: 2 x 1 x 1 = 2;  0.5 vs 0: 3 x 1 x 0.25 = 0.75
        D_e = 2 x (1.5 + 2 + 0.75) / (n (n - 1)) = 8.5 / 30 = 17/60
    alpha = 1 - (1/12) / (17/60) = 1 - 5/17 = 12/17 = 0.70588...  (tentative: between 0.667 and 0.800)

    Totals (one criterion): quinn 100, 50, 0; sue 100, 50, 50. Group means 100, 50, 25, so quinn's
    deviation is (0 + 0 - 25) / 3 = -8.33 (strict) and sue's +8.33 (lenient), beyond the 5-point threshold.
    """
    session = open_session(supervisor, [qa_inspector, supervisor], conversations, simple_scorecard)
    for conversation, quinn, sue in zip(conversations, [2, 1, 0], [2, 1, 1], strict=True):
        blind_score(session, qa_inspector, conversation, [quinn])
        blind_score(session, supervisor, conversation, [sue])
    session = calibration.calibration_close(session=session, actor=supervisor)

    results = calibration.calibration_results(session=session)

    assert results.alpha == pytest.approx(12 / 17)
    assert results.alpha_reading == "tentative"
    assert results.criteria[0].alpha == pytest.approx(12 / 17)  # the only criterion: the same units
    assert calibration.interval_alpha(np.array([[1.0, 0.5, 0.0], [1.0, 0.5, 0.5]])) == (pytest.approx(12 / 17), "")
    deviations = {row.reviewer.username: row for row in results.deviations}
    assert deviations["quinn"].deviation == pytest.approx(-25 / 3)
    assert deviations["sue"].deviation == pytest.approx(25 / 3)
    assert (deviations["quinn"].leaning, deviations["sue"].leaning) == ("strict", "lenient")
    assert deviations["quinn"].conversations_compared == 3
    assert [row.mean for row in results.totals] == [100, 50, 25]


def test_alpha_readings_follow_krippendorffs_conventions():
    assert [calibration.alpha_reading(value) for value in (0.95, 0.8, 0.7, 0.667, 0.5, -0.2, None)] == [
        "good",
        "good",
        "tentative",
        "tentative",
        "poor",
        "poor",
        "",
    ]


def test_spread_per_criterion_and_conversation(qa_inspector, supervisor, manager, conversations, scorecard):
    session = open_session(supervisor, [qa_inspector, supervisor, manager], conversations[:2], scorecard)
    first, second = conversations[:2]
    # criteria: greets (max 1), solves (max 5, weight 3), upsell (max 2, may be N/A), no rude language (max 1)
    blind_score(session, qa_inspector, first, [1, 4, None, 1])  # 88.00
    blind_score(session, supervisor, first, [1, 2, 2, 1])  # (1 + 3 x 0.4 + 1 + 1) / 6 = 70.00
    blind_score(session, manager, first, [0, 5, 1, 1])  # (0 + 3 + 0.5 + 1) / 6 = 75.00
    blind_score(session, manager, second, [1, 1, 1, 1], submit=False)  # a draft never counts
    calibration.calibration_close(session=session, actor=supervisor)

    results = calibration.calibration_results(session=CalibrationSession.objects.get(pk=session.pk))

    assert [reviewer.username for reviewer in results.reviewers] == ["mona", "quinn", "sue"]
    greets, solves, upsell, rude = results.criteria
    on_first = solves.conversations[0]
    assert [cell.points for cell in on_first.cells] == [5, 4, 2]
    assert (on_first.minimum, on_first.maximum) == (2, 5)
    assert on_first.mean == pytest.approx(11 / 3)
    assert on_first.std_dev == pytest.approx(((16 / 9 + 1 / 9 + 25 / 9) / 3) ** 0.5)  # population: sqrt(14/9)
    assert greets.conversations[0].std_dev == pytest.approx((2 / 9) ** 0.5)  # 0, 1, 1 around 2/3
    # quinn answered "not applicable": scored, but out of the statistics
    assert [(cell.scored, cell.points) for cell in upsell.conversations[0].cells] == [
        (True, 1),
        (True, None),
        (True, 2),
    ]
    assert (upsell.conversations[0].mean, upsell.conversations[0].std_dev) == (1.5, 0.5)
    assert rude.conversations[0].std_dev == 0
    # nobody submitted the second conversation: no numbers at all, and it leaves the criterion's spread
    assert [cell.scored for cell in solves.conversations[1].cells] == [False, False, False]
    assert solves.conversations[1].mean is None and solves.conversations[1].std_dev is None
    assert solves.mean_std_dev == pytest.approx(on_first.std_dev)
    assert [row.totals for row in results.totals] == [
        [Decimal("75.00"), Decimal("88.00"), Decimal("70.00")],
        [None, None, None],
    ]
    deviations = {row.reviewer.username: (round(row.deviation, 2), row.leaning) for row in results.deviations}
    # group mean of 75, 88, 70 is 77.67
    assert deviations == {"mona": (-2.67, "in_line"), "quinn": (10.33, "lenient"), "sue": (-7.67, "strict")}


def test_alpha_is_undefined_in_degenerate_sessions_and_the_page_says_so(
    client, qa_inspector, supervisor, conversations, simple_scorecard
):
    lonely = open_session(supervisor, [qa_inspector, supervisor], conversations, simple_scorecard, name="Lonely")
    blind_score(lonely, qa_inspector, conversations[0], [1])
    calibration.calibration_close(session=lonely, actor=supervisor)
    results = calibration.calibration_results(session=CalibrationSession.objects.get(pk=lonely.pk))
    assert (results.alpha, results.alpha_undefined) == (None, calibration.ALPHA_FEWER_REVIEWERS)
    assert all(row.deviation is None and row.leaning == "" for row in results.deviations)

    unanimous = open_session(supervisor, [qa_inspector, supervisor], conversations, simple_scorecard, name="Same")
    for conversation in conversations:
        blind_score(unanimous, qa_inspector, conversation, [2])
        blind_score(unanimous, supervisor, conversation, [2])
    calibration.calibration_close(session=unanimous, actor=supervisor)
    results = calibration.calibration_results(session=CalibrationSession.objects.get(pk=unanimous.pk))
    assert (results.alpha, results.alpha_undefined) == (None, calibration.ALPHA_NO_VARIANCE)
    assert results.criteria[0].alpha is None
    assert {row.leaning for row in results.deviations} == {"in_line"}

    empty = open_session(supervisor, [qa_inspector, supervisor], conversations, simple_scorecard, name="Empty")
    calibration.calibration_close(session=empty, actor=supervisor)
    assert calibration.calibration_results(session=CalibrationSession.objects.get(pk=empty.pk)).alpha is None

    client.force_login(supervisor)
    for session, reason in ((lonely, "Fewer than two reviewers"), (unanimous, "Every score is the same")):
        page = client.get(f"/qa/calibrations/{session.pk}/")
        assert page.status_code == 200 and reason in page.content.decode()


def test_interval_alpha_without_pairs():
    only_one_per_unit = np.array([[1.0, np.nan], [np.nan, 0.5]])
    assert calibration.interval_alpha(only_one_per_unit) == (None, calibration.ALPHA_NO_PAIRS)
    # unpairable units are dropped before the variance check: the pairable values are all 1
    assert calibration.interval_alpha(np.array([[1.0, 1.0, 0.0], [1.0, 1.0, np.nan]])) == (
        None,
        calibration.ALPHA_NO_VARIANCE,
    )


# -------------------------------------------------------------------------------- creating and scoring


def test_creating_tells_each_reviewer(qa_inspector, supervisor, conversations, scorecard):
    session = open_session(supervisor, [qa_inspector, supervisor], conversations, scorecard)
    assert session.status == CalibrationStatus.OPEN and session.created_by == supervisor
    assert set(session.conversations.all()) == set(conversations)
    sent = Notification.objects.filter(kind="qa-calibration")
    assert {n.recipient_id for n in sent} == {qa_inspector.pk, supervisor.pk}
    assert {n.link for n in sent} == {f"/qa/calibrations/{session.pk}/"}
    assert session.name in sent.first().text


@pytest.mark.parametrize(
    "change",
    ["one_reviewer", "agent_reviewer", "reviewer_handled_a_chat", "other_team_chat", "unassigned_chat", "no_name"],
)
def test_invalid_sessions_are_refused_and_nothing_is_written(
    change, team, other_team, agent, qa_inspector, supervisor, conversations, scorecard
):
    reviewers, chats, name = [qa_inspector, supervisor], list(conversations), "Calibration"
    if change == "one_reviewer":
        reviewers = [qa_inspector]
    elif change == "agent_reviewer":
        reviewers = [qa_inspector, agent]
    elif change == "reviewer_handled_a_chat":
        chats.append(ConversationFactory(team=team, agent=supervisor))
    elif change == "other_team_chat":
        chats.append(ConversationFactory(team=other_team))
    elif change == "unassigned_chat":
        chats.append(ConversationFactory(team=team, agent=None))
    else:
        name = "  "
    with pytest.raises(ValidationError):
        calibration.calibration_create(
            team=team, actor=supervisor, name=name, scorecard=scorecard, conversations=chats, reviewers=reviewers
        )
    assert not CalibrationSession.objects.exists() and not Notification.objects.exists()


def test_only_supervisors_and_qa_open_sessions(agent, qa_inspector, supervisor, outsider, conversations, scorecard):
    for actor in (agent, outsider):
        with pytest.raises(PermissionDenied):
            open_session(actor, [qa_inspector, supervisor], conversations, scorecard)
    assert not CalibrationSession.objects.exists()


def test_a_department_session_takes_its_teams_conversations(department, team, sibling_team, manager, agent):
    second_manager = member(department, Role.MANAGER, username="mike")
    department_card = services.scorecard_create(team=department, actor=manager, name="All teams", criteria=CRITERIA)
    chats = [ConversationFactory(team=team, agent=agent), ConversationFactory(team=sibling_team, agent=agent)]
    session = calibration.calibration_create(
        team=department,
        actor=manager,
        name="Department",
        scorecard=department_card,
        conversations=chats,
        reviewers=[manager, second_manager],
    )
    review = blind_score(session, second_manager, chats[1], [1, 5, 2, 1])
    assert (review.calibration, review.team) == (session, sibling_team)


def test_only_the_sessions_reviewers_score_its_conversations(
    qa_inspector, supervisor, manager, agent, conversations, scorecard
):
    session = open_session(supervisor, [qa_inspector, manager], conversations[:2], scorecard)
    with pytest.raises(PermissionDenied):  # a supervisor of the team, but not a reviewer of this session
        blind_score(session, supervisor, conversations[0], [1, 5, 2, 1])
    with pytest.raises(ValidationError):
        blind_score(session, qa_inspector, conversations[2], [1, 5, 2, 1])  # not in the session
    with pytest.raises(ValidationError):
        blind_score(session, qa_inspector, conversations[0], [1, 9, 2, 1])  # the scorecard's rules still hold
    assert not Review.objects.exists()
    review = blind_score(session, qa_inspector, conversations[0], [1, 5, 2, 1], submit=False)
    assert (review.status, review.calibration_id) == (ReviewStatus.DRAFT, session.pk)
    review = blind_score(session, qa_inspector, conversations[0], [1, 4, 2, 1])  # the draft becomes the score
    assert Review.objects.get().status == ReviewStatus.SUBMITTED
    with pytest.raises(ValidationError):
        blind_score(session, qa_inspector, conversations[0], [0, 0, 0, 0])  # submitted: final


def test_closing(agent, qa_inspector, supervisor, manager, conversations, scorecard):
    session = open_session(qa_inspector, [qa_inspector, supervisor], conversations, scorecard)
    with pytest.raises(ValidationError):
        calibration.calibration_results(session=session)  # blind while open
    blind_score(session, supervisor, conversations[1], [1, 1, 1, 1], submit=False)
    with pytest.raises(PermissionDenied):
        calibration.calibration_close(session=session, actor=agent)
    closed = calibration.calibration_close(session=session, actor=manager)  # a manager of the team may
    assert closed.status == CalibrationStatus.CLOSED and closed.closed_at is not None
    assert set(Notification.objects.filter(kind="qa-calibration-closed").values_list("recipient", flat=True)) == {
        qa_inspector.pk,
        supervisor.pk,
    }
    with pytest.raises(ValidationError):
        calibration.calibration_close(session=session, actor=qa_inspector)
    with pytest.raises(ValidationError):
        blind_score(session, supervisor, conversations[1], [1, 1, 1, 1])
    assert Review.objects.get().status == ReviewStatus.DRAFT


def test_the_creator_closes_even_without_managing_the_team(qa_inspector, supervisor, conversations, scorecard):
    by_supervisor = open_session(supervisor, [qa_inspector, supervisor], conversations, scorecard, name="A")
    with pytest.raises(PermissionDenied):  # QA inspectors do not manage the team
        calibration.calibration_close(session=by_supervisor, actor=qa_inspector)
    by_quinn = open_session(qa_inspector, [qa_inspector, supervisor], conversations, scorecard, name="B")
    assert calibration.calibration_close(session=by_quinn, actor=qa_inspector).status == CalibrationStatus.CLOSED


def test_calibration_scores_stay_out_of_reviews_and_the_agents_qa_score(
    api, client, agent, qa_inspector, supervisor, manager, conversations, scorecard
):
    from kpi.computation.daily import daily_metrics_compute
    from kpi.models import DailyAgentMetric

    chat = conversations[0]
    ids = criterion_ids(scorecard)
    real = services.review_save(
        conversation=chat,
        reviewer=qa_inspector,
        scorecard=scorecard,
        points=dict(zip(ids, [1, 4, None, 1], strict=True)),
        submit=True,
    )  # 88.00
    session = open_session(supervisor, [supervisor, manager], [chat], scorecard)
    blind_score(session, supervisor, chat, [0, 0, 0, 0])  # auto-fail: 0.00
    blind_score(session, manager, chat, [1, 2, 2, 1])  # 70.00
    calibration.calibration_close(session=session, actor=supervisor)

    day = chat.started_at.astimezone(zoneinfo.ZoneInfo(chat.team.timezone)).date()
    daily_metrics_compute(day=day)
    row = DailyAgentMetric.objects.get(agent=agent, date=day)
    assert (row.qa_reviews, row.qa_score_avg) == (1, 88.0)

    for viewer in (agent, supervisor):
        listed = api.as_user(viewer).get("/api/v1/qa/reviews/").json()["results"]
        assert [review["id"] for review in listed] == [real.pk]
        client.force_login(viewer)
        assert "70.00" not in client.get("/qa/reviews/").content.decode()
    calibration_ids = Review.objects.filter(calibration=session).values_list("pk", flat=True)
    for review_id in calibration_ids:
        assert api.as_user(agent).get(f"/api/v1/qa/reviews/{review_id}/").status_code == 404
    assert not Notification.objects.filter(recipient=agent).exclude(link=f"/qa/reviews/{real.pk}/").exists()


# ----------------------------------------------------------------------------------------------- API


def test_api_creates_scores_blind_closes_and_shows_results(
    api, team, qa_inspector, supervisor, conversations, simple_scorecard
):
    body = {
        "team": team.pk,
        "name": "API calibration",
        "scorecard": simple_scorecard.pk,
        "conversations": [chat.pk for chat in conversations],
        "reviewers": [qa_inspector.pk, supervisor.pk],
    }
    created = api.as_user(supervisor).post("/api/v1/qa/calibrations/", body, format="json")
    assert created.status_code == 201, created.content
    url = f"/api/v1/qa/calibrations/{created.json()['id']}/"
    criterion = str(simple_scorecard.criteria.get().pk)

    for chat, points in zip(conversations, [2, 1, 0], strict=True):
        scored = api.as_user(qa_inspector).post(
            f"{url}score/",
            {"conversation": chat.pk, "points": {criterion: points}, "comment": "quinn's view", "submit": True},
            format="json",
        )
        assert scored.status_code == 200, scored.content
    assert scored.json()["total"] == "0.00" and scored.json()["reviewer"] == qa_inspector.pk

    # Blind: sue sees quinn's progress, never quinn's scores.
    as_sue = api.as_user(supervisor)
    assert as_sue.get(url).json()["my_scores"] == []
    open_results = as_sue.get(f"{url}results/").json()
    assert open_results["results"] is None and open_results["status"] == "open"
    assert {row["username"]: (row["submitted"], row["expected"]) for row in open_results["progress"]} == {
        "quinn": (3, 3),
        "sue": (0, 3),
    }
    assert "quinn's view" not in as_sue.get(f"{url}results/").content.decode()
    assert len(api.as_user(qa_inspector).get(url).json()["my_scores"]) == 3

    as_sue = api.as_user(supervisor)  # one client: as_user switches who it is
    for chat, points in zip(conversations, [2, 1, 1], strict=True):
        as_sue.post(
            f"{url}score/", {"conversation": chat.pk, "points": {criterion: points}, "submit": True}, format="json"
        )
    closed = as_sue.post(f"{url}close/")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    results = as_sue.get(f"{url}results/").json()["results"]
    assert results["alpha"] == pytest.approx(12 / 17) and results["alpha_reading"] == "tentative"
    assert results["reviewers"] == [qa_inspector.pk, supervisor.pk]
    assert results["criteria"][0]["conversations"][2]["points"] == [
        {"reviewer": qa_inspector.pk, "scored": True, "points": 0},
        {"reviewer": supervisor.pk, "scored": True, "points": 1},
    ]
    assert {row["username"]: row["leaning"] for row in results["deviations"]} == {"quinn": "strict", "sue": "lenient"}
    late = as_sue.post(f"{url}score/", {"conversation": conversations[0].pk, "points": {criterion: 1}}, format="json")
    assert late.status_code == 400 and "status" in late.json()
    assert as_sue.post(f"{url}close/").status_code == 400


def test_api_only_reviewers_score_and_only_the_sessions_conversations(
    api, qa_inspector, supervisor, manager, conversations, scorecard
):
    session = open_session(supervisor, [qa_inspector, manager], conversations[:2], scorecard)
    url = f"/api/v1/qa/calibrations/{session.pk}/score/"
    points = {str(pk): 1 for pk in criterion_ids(scorecard)}
    not_reviewer = api.as_user(supervisor).post(
        url, {"conversation": conversations[0].pk, "points": points}, format="json"
    )
    assert not_reviewer.status_code == 403
    response = api.as_user(qa_inspector).post(
        url, {"conversation": conversations[2].pk, "points": points}, format="json"
    )
    assert response.status_code == 400 and "conversation" in response.json()
    assert not Review.objects.exists()


def test_api_scoping(api, agent, qa_inspector, supervisor, manager, outsider, conversations, scorecard):
    session = open_session(supervisor, [qa_inspector, supervisor], conversations, scorecard)
    url = f"/api/v1/qa/calibrations/{session.pk}/"
    points = {str(pk): 1 for pk in criterion_ids(scorecard)}
    for stranger in (agent, outsider):
        client = api.as_user(stranger)
        assert client.get("/api/v1/qa/calibrations/").json()["results"] == []
        assert client.get(url).status_code == 404
        assert client.get(f"{url}results/").status_code == 404
        assert client.post(f"{url}close/").status_code == 404
        scored = client.post(f"{url}score/", {"conversation": conversations[0].pk, "points": points}, format="json")
        assert scored.status_code == 404
    assert api.as_user(manager).get(url).status_code == 200  # the department's manager supervises the team
    assert CalibrationSession.objects.get().status == CalibrationStatus.OPEN and not Review.objects.exists()


def test_api_create_refusals(api, team, agent, qa_inspector, supervisor, outsider, conversations, scorecard):
    body = {
        "team": team.pk,
        "name": "x",
        "scorecard": scorecard.pk,
        "conversations": [chat.pk for chat in conversations],
        "reviewers": [qa_inspector.pk, supervisor.pk],
    }
    assert api.as_user(agent).post("/api/v1/qa/calibrations/", body, format="json").status_code == 403
    refused = api.as_user(outsider).post("/api/v1/qa/calibrations/", body, format="json")
    assert refused.status_code == 400 and "team" in refused.json()
    one_reviewer = api.as_user(supervisor).post(
        "/api/v1/qa/calibrations/", {**body, "reviewers": [qa_inspector.pk]}, format="json"
    )
    assert one_reviewer.status_code == 400 and "reviewers" in one_reviewer.json()
    with_agent = api.as_user(supervisor).post(
        "/api/v1/qa/calibrations/", {**body, "reviewers": [qa_inspector.pk, agent.pk]}, format="json"
    )
    assert with_agent.status_code == 400 and "reviewers" in with_agent.json()
    hidden_chat = ConversationFactory(team=outsider.memberships.get().team)
    foreign = api.as_user(supervisor).post(
        "/api/v1/qa/calibrations/", {**body, "conversations": [hidden_chat.pk]}, format="json"
    )
    assert foreign.status_code == 400 and "conversations" in foreign.json()
    assert not CalibrationSession.objects.exists()


def test_api_list_has_a_fixed_number_of_queries(api, qa_inspector, supervisor, conversations, scorecard):
    client = api.as_user(supervisor)
    counts = []
    for sessions in (1, 6):
        while CalibrationSession.objects.count() < sessions:
            open_session(supervisor, [qa_inspector, supervisor], conversations, scorecard)
        cold_start()
        with CaptureQueriesContext(connection) as queries:
            assert len(client.get("/api/v1/qa/calibrations/").json()["results"]) == sessions
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --------------------------------------------------------------------------------------------- pages


def test_pages_create_score_blind_and_close(client, team, qa_inspector, supervisor, conversations, simple_scorecard):
    client.force_login(supervisor)
    assert client.get("/qa/calibrations/").status_code == 200
    response = client.post(
        "/qa/calibrations/",
        {
            "name": "Page calibration",
            "team": team.pk,
            "scorecard": simple_scorecard.pk,
            "conversations": [chat.pk for chat in conversations[:2]],
            "reviewers": [qa_inspector.pk, supervisor.pk],
        },
    )
    session = CalibrationSession.objects.get()
    assert response["Location"] == f"/qa/calibrations/{session.pk}/"
    criterion = simple_scorecard.criteria.get()

    client.force_login(qa_inspector)
    score_url = f"/qa/calibrations/{session.pk}/conversations/{conversations[0].pk}/"
    page = client.get(score_url).content.decode()
    assert f"我要退货 {conversations[0].external_id}" in page and 'id="calibration-score-form"' in page
    client.post(score_url, {f"criterion-{criterion.pk}": "2", "comment": "quinn-secret-note", "submit": "1"})
    client.post(
        f"/qa/calibrations/{session.pk}/conversations/{conversations[1].pk}/",
        {f"criterion-{criterion.pk}": "1", "submit": "1"},
    )
    assert client.get(score_url).content.decode().count("calibration-score-form") == 0  # submitted: read only

    # sue, the other reviewer, sees quinn's progress but not quinn's scores or notes
    client.force_login(supervisor)
    detail = client.get(f"/qa/calibrations/{session.pk}/").content.decode()
    assert "2 / 2" in detail and "100.00" not in detail and "50.00" not in detail
    sue_score_page = client.get(score_url).content.decode()
    assert "quinn-secret-note" not in sue_score_page and " selected>2 / 2" not in sue_score_page
    missing = client.post(score_url, {"submit": "1"}, follow=True).content.decode()
    assert "Score every criterion" in missing
    client.post(score_url, {f"criterion-{criterion.pk}": "2", "submit": "1"})
    client.post(
        f"/qa/calibrations/{session.pk}/conversations/{conversations[1].pk}/",
        {f"criterion-{criterion.pk}": "2", "submit": "1"},
    )
    client.post(f"/qa/calibrations/{session.pk}/", {"close": "1"})
    results = client.get(f"/qa/calibrations/{session.pk}/").content.decode()
    assert 'id="alpha"' in results and "100.00" in results and "50.00" in results
    assert 'data-leaning="strict"' in results and 'data-leaning="lenient"' in results


def test_page_scoring_is_only_for_the_sessions_reviewers(
    client, agent, qa_inspector, supervisor, manager, outsider, conversations, scorecard
):
    session = open_session(supervisor, [qa_inspector, manager], conversations[:2], scorecard)
    score_url = f"/qa/calibrations/{session.pk}/conversations/{conversations[0].pk}/"
    client.force_login(supervisor)  # sees the session, is not one of its reviewers
    assert client.get(f"/qa/calibrations/{session.pk}/").status_code == 200
    assert client.get(score_url).status_code == 403
    assert client.post(score_url, {"submit": "1"}).status_code == 403
    client.force_login(qa_inspector)
    outside = f"/qa/calibrations/{session.pk}/conversations/{conversations[2].pk}/"
    assert client.get(outside).status_code == 404
    for stranger in (agent, outsider):
        client.force_login(stranger)
        for url in (f"/qa/calibrations/{session.pk}/", score_url):
            assert client.get(url).status_code == 404
        assert client.post(f"/qa/calibrations/{session.pk}/", {"close": "1"}).status_code == 404
        assert session.name not in client.get("/qa/calibrations/").content.decode()
    assert CalibrationSession.objects.get().status == CalibrationStatus.OPEN and not Review.objects.exists()


def test_only_the_creator_or_a_supervisor_sees_the_close_button(
    client, qa_inspector, supervisor, conversations, scorecard
):
    session = open_session(supervisor, [qa_inspector, supervisor], conversations, scorecard)
    client.force_login(qa_inspector)
    assert 'id="close-session"' not in client.get(f"/qa/calibrations/{session.pk}/").content.decode()
    client.post(f"/qa/calibrations/{session.pk}/", {"close": "1"})  # refused: QA does not manage the team
    assert CalibrationSession.objects.get().status == CalibrationStatus.OPEN
    client.force_login(supervisor)
    assert 'id="close-session"' in client.get(f"/qa/calibrations/{session.pk}/").content.decode()


def _closed_session(size: int, team, creator, reviewers, scorecard, agent):
    chats = [ConversationFactory(team=team, agent=agent) for _ in range(size)]
    session = open_session(creator, reviewers, chats, scorecard, name=f"Size {size}")
    for offset, reviewer in enumerate(reviewers):
        for index, chat in enumerate(chats):
            blind_score(session, reviewer, chat, [1, (index + offset) % 6, None if index % 2 else 2, 1])
    return calibration.calibration_close(session=session, actor=creator)


def test_results_and_list_pages_have_a_fixed_number_of_queries(
    client, team, agent, qa_inspector, supervisor, manager, scorecard
):
    small = _closed_session(2, team, supervisor, [qa_inspector, supervisor], scorecard, agent)
    client.force_login(supervisor)

    def count(url: str) -> int:
        cold_start()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small_page, small_list = count(f"/qa/calibrations/{small.pk}/"), count("/qa/calibrations/")
    large = _closed_session(6, team, supervisor, [qa_inspector, supervisor, manager], scorecard, agent)
    assert count(f"/qa/calibrations/{large.pk}/") == small_page
    assert count("/qa/calibrations/") == small_list
