"""Behaviour of the teams API: token auth, validation errors that name the field,
member creation in one call, filters, pagination and query counts."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from teams.models import Membership, Responsibility, Role, Shift
from tests.factories import PASSWORD, MembershipFactory, ShiftFactory, member

User = get_user_model()


def test_token_is_issued_for_a_correct_password_and_works(api, supervisor):
    response = api.post("/api/v1/auth/token/", {"username": "sue", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").json()["username"] == "sue"


def test_token_refused_for_a_wrong_password(api, supervisor):
    response = api.post("/api/v1/auth/token/", {"username": "sue", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_token_refused_for_a_deactivated_user(api, supervisor):
    supervisor.is_active = False
    supervisor.save()
    response = api.post("/api/v1/auth/token/", {"username": "sue", "password": PASSWORD}, format="json")
    assert response.status_code == 400


def test_revoked_token_and_deactivated_user_get_401(api, supervisor, team):
    client = api.as_user(supervisor)
    assert client.get("/api/v1/teams/").status_code == 200
    supervisor.is_active = False
    supervisor.save()
    assert client.get("/api/v1/teams/").status_code == 401
    supervisor.is_active = True
    supervisor.save()
    Token.objects.filter(user=supervisor).delete()
    assert client.get("/api/v1/teams/").status_code == 401


def test_unauthenticated_request_gets_401_with_a_challenge(api, team):
    response = api.get("/api/v1/teams/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_member_is_created_with_user_and_membership_in_one_call(api, supervisor, team):
    payload = {
        "username": "new.agent",
        "display_name": "新同事",
        "password": "a-long-enough-passphrase",
        "team": team.pk,
        "role": "agent",
        "position": "after_sales",
    }
    response = api.as_user(supervisor).post("/api/v1/members/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["user"]["username"] == "new.agent"
    assert body["user"]["display_name"] == "新同事"
    assert (body["team"], body["role"], body["position"], body["active"]) == (team.pk, "agent", "after_sales", True)
    assert "password" not in body
    user = User.objects.get(username="new.agent")
    assert user.check_password("a-long-enough-passphrase")


def test_member_without_password_cannot_log_in(api, supervisor, team):
    payload = {"username": "chat.only", "team": team.pk, "role": "agent"}
    assert api.as_user(supervisor).post("/api/v1/members/", payload, format="json").status_code == 201
    assert not User.objects.get(username="chat.only").has_usable_password()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "alice", "role": "agent"}, "username"),  # taken
        ({"username": "has space", "role": "agent"}, "username"),
        ({"username": "x", "role": "boss"}, "role"),
        ({"username": "x", "role": "agent", "position": "janitor"}, "position"),
        ({"username": "x", "role": "agent", "password": "123"}, "password"),
        ({"username": "x", "role": "agent", "email": "not-an-email"}, "email"),
        ({"role": "agent"}, "username"),
    ],
)
def test_invalid_member_is_rejected_naming_the_field(api, supervisor, agent, team, payload, field):
    users_before = User.objects.count()
    response = api.as_user(supervisor).post("/api/v1/members/", {"team": team.pk, **payload}, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert User.objects.count() == users_before


def test_member_can_be_deactivated_and_keeps_history(api, supervisor, agent, team):
    membership = Membership.objects.get(user=agent, team=team)
    response = api.as_user(supervisor).patch(f"/api/v1/members/{membership.pk}/", {"active": False}, format="json")
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.active is False
    assert api.as_user(agent).get("/api/v1/teams/").json()["count"] == 0


def test_team_timezone_must_be_real(api, supervisor, team):
    response = api.as_user(supervisor).patch(f"/api/v1/teams/{team.pk}/", {"timezone": "Mars/Olympus"}, format="json")
    assert response.status_code == 400
    assert "timezone" in response.json()


def test_team_cannot_move_under_its_own_sub_team(api, manager, department, team):
    response = api.as_user(manager).patch(f"/api/v1/teams/{department.pk}/", {"parent": team.pk}, format="json")
    assert response.status_code == 400
    assert "parent" in response.json()


def test_responsibility_owner_must_belong_to_the_team(api, supervisor, team, sibling_agent, manager):
    payload = {"team": team.pk, "category": "Refunds", "owner": sibling_agent.pk}
    # The supervisor cannot even see a sibling team's agent: the id does not resolve.
    response = api.as_user(supervisor).post("/api/v1/responsibilities/", payload, format="json")
    assert response.status_code == 400 and "owner" in response.json()
    # The manager can see them, and is told they are not in the owning team.
    response = api.as_user(manager).post("/api/v1/responsibilities/", payload, format="json")
    assert response.status_code == 400 and "owner" in response.json()
    assert not Responsibility.objects.exists()


def test_responsibility_backup_must_differ_from_owner(api, supervisor, agent, team):
    payload = {"team": team.pk, "category": "Refunds", "owner": agent.pk, "backup": agent.pk}
    response = api.as_user(supervisor).post("/api/v1/responsibilities/", payload, format="json")
    assert response.status_code == 400
    assert "backup" in response.json()


def test_responsibility_category_is_unique_per_team(api, supervisor, agent, team):
    payload = {"team": team.pk, "category": "Refunds", "owner": agent.pk}
    assert api.as_user(supervisor).post("/api/v1/responsibilities/", payload, format="json").status_code == 201
    response = api.as_user(supervisor).post("/api/v1/responsibilities/", payload, format="json")
    assert response.status_code == 400
    assert Responsibility.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_time": "09:00"}, "end_time"),
        ({"date": "2026-13-01"}, "date"),
        ({"start_time": "25:00"}, "start_time"),
    ],
)
def test_invalid_shift_is_rejected_naming_the_field(api, supervisor, agent, team, change, field):
    payload = {"team": team.pk, "user": agent.pk, "date": "2026-12-01", "start_time": "09:00", "end_time": "18:00"}
    response = api.as_user(supervisor).post("/api/v1/shifts/", {**payload, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Shift.objects.exists()


def test_shift_for_someone_outside_the_team_is_rejected(api, manager, team, sibling_agent):
    payload = {
        "team": team.pk,
        "user": sibling_agent.pk,
        "date": "2026-12-01",
        "start_time": "09:00",
        "end_time": "18:00",
    }
    response = api.as_user(manager).post("/api/v1/shifts/", payload, format="json")
    assert response.status_code == 400
    assert "user" in response.json()


def test_second_shift_on_the_same_day_is_rejected(api, supervisor, agent, team):
    payload = {"team": team.pk, "user": agent.pk, "date": "2026-12-01", "start_time": "09:00", "end_time": "18:00"}
    assert api.as_user(supervisor).post("/api/v1/shifts/", payload, format="json").status_code == 201
    response = api.as_user(supervisor).post(
        "/api/v1/shifts/", {**payload, "start_time": "19:00", "end_time": "23:00"}, format="json"
    )
    assert response.status_code == 400
    assert "date" in response.json()
    assert Shift.objects.count() == 1


def test_overnight_shift_is_allowed(api, supervisor, agent, team):
    payload = {"team": team.pk, "user": agent.pk, "date": "2026-12-01", "start_time": "22:00", "end_time": "06:00"}
    assert api.as_user(supervisor).post("/api/v1/shifts/", payload, format="json").status_code == 201


def test_shifts_filter_by_date_range_and_person(api, supervisor, agent, second_agent, team):
    import datetime as dt

    for day in range(1, 6):
        ShiftFactory(team=team, user=agent, date=dt.date(2026, 12, day))
        ShiftFactory(team=team, user=second_agent, date=dt.date(2026, 12, day))
    response = api.as_user(supervisor).get(
        "/api/v1/shifts/", {"user": agent.pk, "date_from": "2026-12-02", "date_to": "2026-12-04"}
    )
    assert [row["date"] for row in response.json()["results"]] == ["2026-12-02", "2026-12-03", "2026-12-04"]


def test_members_filter_by_role_and_position(api, supervisor, agent, qa_inspector, team):
    response = api.as_user(supervisor).get("/api/v1/members/", {"team": team.pk, "role": "qa"})
    assert [row["user"]["username"] for row in response.json()["results"]] == ["quinn"]
    assert api.as_user(supervisor).get("/api/v1/members/", {"role": "boss"}).status_code == 400


def test_filtering_by_a_foreign_team_reveals_nothing(api, supervisor, other_team, team):
    response = api.as_user(supervisor).get("/api/v1/members/", {"team": other_team.pk})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_lists_are_paginated(api, supervisor, team):
    for _ in range(7):
        member(team)
    body = api.as_user(supervisor).get("/api/v1/members/", {"page_size": 3}).json()
    assert body["count"] == 8
    assert len(body["results"]) == 3
    assert body["next"]


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("url", ["/api/v1/members/", "/api/v1/shifts/", "/api/v1/teams/", "/api/v1/responsibilities/"])
def test_list_query_count_does_not_grow_with_data(api, supervisor, team, size, url, django_assert_max_num_queries):
    import datetime as dt

    for index in range(size):
        person = member(team)
        ShiftFactory(team=team, user=person, date=dt.date(2026, 12, 1))
        Responsibility.objects.create(team=team, category=f"Category {index}", owner=person)
    client = api.as_user(supervisor)
    # token lookup, team tree, memberships, count, page
    with django_assert_max_num_queries(6):
        assert client.get(url, {"page_size": 100}).status_code == 200


def test_me_lists_memberships_and_scopes(api, manager, department, team, sibling_team):
    body = api.as_user(manager).get("/api/v1/me/").json()
    assert body["memberships"] == [
        {"team": department.pk, "team_name": department.name, "role": "manager", "position": ""}
    ]
    assert set(body["managed_team_ids"]) == {department.pk, team.pk, sibling_team.pk}


def test_agent_sees_roster_of_own_team_only(api, agent, second_agent, sibling_agent, team):
    rows = api.as_user(agent).get("/api/v1/members/").json()["results"]
    assert {row["user"]["username"] for row in rows} == {"alice", "bob"}


def test_role_change_by_supervisor(api, supervisor, agent, team):
    membership = MembershipFactory._meta.model.objects.get(user=agent)
    response = api.as_user(supervisor).patch(
        f"/api/v1/members/{membership.pk}/", {"role": Role.QA, "position": ""}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["role"] == "qa"


def test_supervisor_cannot_promote_themselves_to_manager(api, supervisor, team):
    membership = Membership.objects.get(user=supervisor, team=team)
    response = api.as_user(supervisor).patch(f"/api/v1/members/{membership.pk}/", {"role": "manager"}, format="json")
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.SUPERVISOR


def test_supervisor_cannot_create_a_manager(api, supervisor, team):
    payload = {"username": "boss", "team": team.pk, "role": "manager"}
    assert api.as_user(supervisor).post("/api/v1/members/", payload, format="json").status_code == 403
    assert not User.objects.filter(username="boss").exists()


def test_department_manager_may_appoint_a_team_manager(api, manager, agent, team):
    membership = Membership.objects.get(user=agent, team=team)
    response = api.as_user(manager).patch(f"/api/v1/members/{membership.pk}/", {"role": "manager"}, format="json")
    assert response.status_code == 200


def test_supervisor_cannot_lift_their_team_out_of_the_department(api, supervisor, team, department):
    response = api.as_user(supervisor).patch(f"/api/v1/teams/{team.pk}/", {"parent": None}, format="json")
    assert response.status_code == 403
    team.refresh_from_db()
    assert team.parent == department


def test_supervisor_may_still_edit_the_vision_with_the_parent_unchanged(api, supervisor, team, department):
    response = api.as_user(supervisor).put(
        f"/api/v1/teams/{team.pk}/",
        {"name": team.name, "timezone": "Asia/Shanghai", "vision": "Kinder, faster", "parent": department.pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    team.refresh_from_db()
    assert team.vision == "Kinder, faster"
