"""/api/v1/awards/: who sees which awards and how much of a breakdown, filters, granting monthly and special awards,
and awards never changed through the API."""

import datetime as dt

import pytest

from notifications.models import Notification
from recognition.models import Award, AwardKind
from teams.models import Role
from tests.factories import member
from tests.recognition import award_data
from tests.recognition.awards_breakdowns import award_with, candidate, simple_award

URL = "/api/v1/awards/"


@pytest.fixture
def ranked(team, agent, second_agent):
    """Six candidates: dave tops the table but has an upheld auto-fail; erin wins, frank is runner-up; bob and
    alice (the agents of the role fixtures) rank 5th and 6th, both ineligible."""
    dave, erin, frank, gina = (member(team, Role.AGENT, username=name) for name in ("dave", "erin", "frank", "gina"))
    rows = [
        candidate(
            dave, conversations=50, csat=4.9, norm_conversations=1.0, norm_csat=0.9, ineligible=["upheld_auto_fail"]
        ),
        candidate(erin, conversations=45, csat=4.8, norm_conversations=0.8, norm_csat=0.8),
        candidate(frank, conversations=40, csat=4.6, norm_conversations=0.6, norm_csat=0.7),
        candidate(gina, conversations=35, csat=4.4, norm_conversations=0.5, norm_csat=0.5),
        candidate(
            second_agent,
            conversations=10,
            csat=4.9,
            norm_conversations=0.0,
            norm_csat=0.9,
            ineligible=["min_conversations"],
        ),
        candidate(
            agent,
            conversations=30,
            csat=3.0,
            norm_conversations=0.4,
            norm_csat=0.0,
            qa_reviews=0,
            ineligible=["min_qa_reviews", "upheld_auto_fail"],
        ),
    ]
    award = award_with(team, rows)
    return award, {"dave": dave, "erin": erin, "frank": frank, "gina": gina, "bob": second_agent, "alice": agent}


VISIBLE = {
    # actor: names of the candidates they see
    "agent": {"dave", "erin", "frank", "alice"},
    "second_agent": {"dave", "erin", "frank", "bob"},
    "supervisor": {"dave", "erin", "frank", "gina", "bob", "alice"},
    "qa_inspector": {"dave", "erin", "frank", "gina", "bob", "alice"},
    "manager": {"dave", "erin", "frank", "gina", "bob", "alice"},
}


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("agent", 200),
        ("second_agent", 200),
        ("supervisor", 200),
        ("qa_inspector", 200),
        ("manager", 200),
        ("sibling_agent", 404),
        ("outsider", 404),
    ],
)
def test_who_reads_an_award(api, request, ranked, actor, expected):
    award, _people = ranked
    response = api.as_user(request.getfixturevalue(actor)).get(f"{URL}{award.pk}/")
    assert response.status_code == expected
    listed = {row["id"] for row in api.get(URL).json()["results"]}
    assert (award.pk in listed) == (expected == 200)


def test_anonymous_gets_401(api, ranked):
    award, _people = ranked
    assert api.as_user(None).get(URL).status_code == 401
    assert api.get(f"{URL}{award.pk}/").status_code == 401


@pytest.mark.parametrize("actor", list(VISIBLE))
def test_how_much_of_the_breakdown_each_person_sees(api, request, ranked, actor):
    award, people = ranked
    breakdown = api.as_user(request.getfixturevalue(actor)).get(f"{URL}{award.pk}/").json()["breakdown"]
    names = {row["username"] for row in breakdown["candidates"]}
    assert names == VISIBLE[actor]
    assert breakdown["hidden_candidates"] == 6 - len(VISIBLE[actor])
    assert [row["rank"] for row in breakdown["candidates"]] == sorted(row["rank"] for row in breakdown["candidates"])
    assert (breakdown["winner_id"], breakdown["runner_up_id"]) == (people["erin"].pk, people["frank"].pk)
    assert breakdown["rules"] == award.breakdown["rules"] and breakdown["weights"] == award.breakdown["weights"]


def test_agents_see_a_colleagues_auto_fail_only_on_their_own_row(api, ranked, agent, supervisor):
    award, _people = ranked

    def reasons(user):
        rows = api.as_user(user).get(f"{URL}{award.pk}/").json()["breakdown"]["candidates"]
        return {row["username"]: (row["eligible"], row["ineligible"]) for row in rows}

    seen_by_alice = reasons(agent)
    assert seen_by_alice["dave"] == (False, [])  # not eligible; the private QA result is not shown
    assert seen_by_alice["alice"] == (False, ["min_qa_reviews", "upheld_auto_fail"])
    seen_by_sue = reasons(supervisor)
    assert seen_by_sue["dave"] == (False, ["upheld_auto_fail"])
    assert seen_by_sue["bob"] == (False, ["min_conversations"])


def test_the_breakdown_numbers_are_the_stored_ones(api, ranked, supervisor):
    award, _people = ranked
    data = api.as_user(supervisor).get(f"{URL}{award.pk}/").json()
    assert data["breakdown"]["candidates"] == award.breakdown["candidates"]
    assert data["score"] == "80.0000" and data["margin"] == "15.0000"
    assert data["winner_name"] == str(award.winner) and data["runner_up_name"] == str(award.runner_up)
    assert data["page"].endswith(f"/recognition/awards/{award.pk}/")


def test_list_is_scoped_and_filtered(api, team, sibling_team, agent, second_agent, sibling_agent, manager):
    weekly = simple_award(team, agent, second_agent, period="2026-W46")
    monthly = simple_award(team, second_agent, kind=AwardKind.MONTHLY, period="2026-10")
    siblings = simple_award(sibling_team, sibling_agent)

    def ids(user, **params):
        response = api.as_user(user).get(URL, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(agent) == {weekly.pk, monthly.pk}
    assert ids(manager) == {weekly.pk, monthly.pk, siblings.pk}
    assert ids(sibling_agent) == {siblings.pk}
    assert ids(manager, team=team.pk) == {weekly.pk, monthly.pk}
    assert ids(manager, kind="monthly") == {monthly.pk}
    assert ids(manager, period="2026-W46") == {weekly.pk}
    assert ids(manager, winner=second_agent.pk) == {monthly.pk}
    assert ids(agent, team=sibling_team.pk) == set()  # a foreign team's id filters to nothing
    assert api.as_user(manager).get(URL, {"kind": "yearly"}).status_code == 400
    row = api.as_user(agent).get(URL).json()["results"][0]
    assert "breakdown" not in row and {"winner", "score", "margin", "period", "team_name", "page"} <= set(row)


def test_list_runs_a_fixed_number_of_queries(api, team, agent, second_agent, supervisor, django_assert_max_num_queries):
    client = api.as_user(supervisor)

    def add(count, offset):
        for week in range(offset, offset + count):
            simple_award(team, agent, second_agent, period=f"2025-W{week:02d}")

    add(2, 1)
    with django_assert_max_num_queries(5):
        assert len(client.get(URL).json()["results"]) == 2
    add(30, 10)
    with django_assert_max_num_queries(5):
        assert len(client.get(URL, {"page_size": 50}).json()["results"]) == 32


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_awards_cannot_be_changed_through_the_api(api, ranked, supervisor, manager, method):
    award, people = ranked
    body = {"winner": people["dave"].pk, "score": "99.0", "breakdown": {}, "team": award.team_id}
    for user in (supervisor, manager):
        response = getattr(api.as_user(user), method)(f"{URL}{award.pk}/", body, format="json")
        assert response.status_code == 405
    fresh = Award.objects.get(pk=award.pk)
    assert (fresh.winner_id, fresh.score, fresh.breakdown) == (award.winner_id, award.score, award.breakdown)


# --- granting ------------------------------------------------------------------------------------------------


def test_a_supervisor_grants_a_special_award(api, team, agent, supervisor, django_capture_on_commit_callbacks):
    body = {"kind": "special", "team": team.pk, "winner": agent.pk, "citation": "Stayed late to calm a furious buyer."}
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(supervisor).post(URL, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["kind"], data["winner"], data["granted_by"]) == ("special", agent.pk, supervisor.pk)
    assert data["citation"] == body["citation"] and data["score"] is None
    award = Award.objects.get(pk=data["id"])
    assert award.announced_at is not None
    assert Notification.objects.filter(recipient=agent, dedupe_key=f"award:{award.pk}").exists()


def test_read_only_fields_sent_with_a_grant_are_ignored(api, team, agent, second_agent, supervisor):
    body = {
        "kind": "special",
        "team": team.pk,
        "winner": agent.pk,
        "citation": "Great week.",
        "score": "99.9",
        "breakdown": {"candidates": []},
        "runner_up": second_agent.pk,
    }
    data = api.as_user(supervisor).post(URL, body, format="json").json()
    award = Award.objects.get(pk=data["id"])
    assert (award.score, award.breakdown, award.runner_up_id) == (None, {}, None)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"citation": ""}, "citation"),
        ({"citation": None}, "citation"),
        ({"winner": None}, "winner"),
        ({"winner": "sibling_agent"}, "winner"),  # not a person the supervisor can see
        ({"winner": "department_manager"}, "winner"),
        ({"kind": "weekly"}, "kind"),
        ({"kind": "yearly"}, "kind"),
        ({"kind": "monthly", "month": None}, "month"),
        ({"kind": "monthly", "month": "2026-13"}, "month"),
        ({"kind": "monthly", "month": "November"}, "month"),
        ({"kind": "monthly", "month": "2099-01"}, "month"),  # has not ended
        ({"team": None}, "team"),
    ],
)
def test_invalid_grants_name_the_field(api, team, agent, supervisor, sibling_agent, outsider, manager, change, field):
    people = {"sibling_agent": sibling_agent.pk, "department_manager": manager.pk}
    body = {"kind": "special", "team": team.pk, "winner": agent.pk, "citation": "Because."}
    for key, value in change.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = people.get(value, value)
    response = api.as_user(supervisor).post(URL, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.content
    assert not Award.objects.exists()


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("agent", 403),
        ("second_agent", 403),
        ("qa_inspector", 403),
        ("sibling_agent", 403),
        ("outsider", 400),  # the team "does not exist" for them
        ("supervisor", 201),
        ("manager", 201),
    ],
)
def test_who_grants_a_special_award(api, request, team, agent, actor, expected):
    body = {"kind": "special", "team": team.pk, "winner": agent.pk, "citation": "Because."}
    response = api.as_user(request.getfixturevalue(actor)).post(URL, body, format="json")
    assert response.status_code == expected, response.content
    assert Award.objects.count() == (1 if expected == 201 else 0)
    if expected == 400:
        assert "team" in response.json()


def test_a_manager_grants_in_a_sibling_team_but_its_supervisor_cannot_reach_ours(
    api, team, sibling_team, sibling_agent, manager, supervisor
):
    body = {"kind": "special", "team": sibling_team.pk, "winner": sibling_agent.pk, "citation": "Because."}
    assert api.as_user(supervisor).post(URL, body, format="json").status_code == 400
    assert api.as_user(manager).post(URL, body, format="json").status_code == 201


def test_a_supervisor_grants_the_best_agent_of_a_month(api, team, agent, second_agent, supervisor):
    award_data.simple_weights(team)
    award_data.rules(team, min_conversations=20, min_qa_reviews=1)
    award_data.worked(team, agent, day=dt.date(2026, 10, 5), conversations=40, csat=4.5)
    award_data.worked(team, second_agent, day=dt.date(2026, 10, 6), conversations=30, csat=4.0)
    body = {"kind": "monthly", "team": team.pk, "month": "2026-10"}
    response = api.as_user(supervisor).post(URL, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["kind"], data["period"], data["winner"], data["runner_up"]) == (
        "monthly",
        "2026-10",
        agent.pk,
        second_agent.pk,
    )
    assert data["score"] == "100.0000" and data["margin"] == "100.0000"
    candidates = {row["username"]: row for row in data["breakdown"]["candidates"]}
    assert candidates["alice"]["conversations"] == 40 and candidates["bob"]["conversations"] == 30
    again = api.as_user(supervisor).post(URL, body, format="json")
    assert again.json()["id"] == data["id"] and Award.objects.filter(kind="monthly").count() == 1


def test_replace_recomputes_a_month_with_an_audit_entry(api, team, agent, second_agent, supervisor):
    from recognition.models import AwardAudit

    award_data.simple_weights(team)
    award_data.worked(team, agent, day=dt.date(2026, 10, 5), conversations=40, csat=4.5)
    award_data.worked(team, second_agent, day=dt.date(2026, 10, 6), conversations=30, csat=4.0)
    body = {"kind": "monthly", "team": team.pk, "month": "2026-10"}
    first = api.as_user(supervisor).post(URL, body, format="json").json()
    award_data.worked(team, second_agent, day=dt.date(2026, 10, 7), conversations=30, csat=5.0)  # late figures
    kept = api.as_user(supervisor).post(URL, body, format="json").json()
    assert (kept["id"], kept["winner"]) == (first["id"], agent.pk)
    replaced = api.as_user(supervisor).post(URL, {**body, "replace": True}, format="json").json()
    assert (replaced["id"], replaced["winner"]) == (first["id"], second_agent.pk)
    assert AwardAudit.objects.filter(award_id=first["id"], action="replaced", actor=supervisor).count() == 1


def test_monthly_grant_of_the_current_month_is_refused(api, team, supervisor):
    body = {"kind": "monthly", "team": team.pk, "month": dt.date.today().strftime("%Y-%m")}
    response = api.as_user(supervisor).post(URL, body, format="json")
    assert response.status_code == 400 and "month" in response.json()
    assert not Award.objects.exists()
