"""Browser pages of the teams app, through Django's test client."""

import datetime as dt

import pytest

from teams.models import Membership, Responsibility
from tests.factories import ResponsibilityFactory, ShiftFactory, member


def test_login_page_logs_in_and_lands_on_the_own_team(client, supervisor, team):
    from tests.factories import PASSWORD

    response = client.post("/accounts/login/", {"username": "sue", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == f"/teams/{team.pk}/"


def test_logout_needs_post(client, supervisor):
    client.force_login(supervisor)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302


def test_roster_shows_members_roles_and_todays_shift(client, supervisor, agent, team):
    from django.utils import timezone

    ShiftFactory(team=team, user=agent, date=timezone.localdate(), start_time=dt.time(9), end_time=dt.time(18))
    client.force_login(supervisor)
    page = client.get(f"/teams/{team.pk}/").content.decode()
    assert "alice" in page and "Agent" in page and "09:00–18:00" in page and "Add member" in page


def test_agent_sees_roster_without_edit_controls(client, agent, team):
    client.force_login(agent)
    page = client.get(f"/teams/{team.pk}/").content.decode()
    assert "alice" in page and "Add member" not in page and "/members/" not in page


def test_supervisor_adds_a_member_from_the_roster(client, supervisor, team):
    client.force_login(supervisor)
    response = client.post(
        f"/teams/{team.pk}/members/new/",
        {"username": "new.hire", "display_name": "New Hire", "role": "agent", "position": "pre_sales"},
    )
    assert response.status_code == 302
    assert Membership.objects.get(user__username="new.hire").team == team


def test_member_form_shows_the_error_next_to_the_field(client, supervisor, agent, team):
    client.force_login(supervisor)
    response = client.post(f"/teams/{team.pk}/members/new/", {"username": "alice", "role": "agent"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["A user with that username already exists."]
    assert Membership.objects.filter(team=team).count() == 2


def test_supervisor_deactivates_a_member(client, supervisor, agent, team):
    membership = Membership.objects.get(user=agent)
    client.force_login(supervisor)
    response = client.post(
        f"/teams/{team.pk}/members/{membership.pk}/edit/",
        {"display_name": "Alice", "role": "agent", "position": "pre_sales"},  # unchecked box: inactive
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.active is False


def test_supervisor_edits_and_removes_a_responsibility(client, supervisor, agent, second_agent, team):
    row = ResponsibilityFactory(team=team, category="Refunds", owner=agent)
    client.force_login(supervisor)
    response = client.post(
        f"/teams/{team.pk}/responsibilities/{row.pk}/edit/",
        {"team": team.pk, "category": "Refunds", "owner": agent.pk, "backup": second_agent.pk, "description": "x"},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.backup == second_agent
    client.post(f"/teams/{team.pk}/responsibilities/{row.pk}/delete/")
    assert not Responsibility.objects.exists()


def test_responsibility_form_offers_only_people_of_managed_teams(client, supervisor, agent, sibling_agent, team):
    client.force_login(supervisor)
    form = client.get(f"/teams/{team.pk}/responsibilities/new/").context["form"]
    people = set(form.fields["owner"].queryset.values_list("username", flat=True))
    assert "alice" in people and "sam" not in people
    assert list(form.fields["team"].queryset) == [team]


def test_department_matrix_shows_rows_of_its_teams_to_the_manager(client, manager, team, sibling_team):
    ResponsibilityFactory(team=team, category="Sizing")
    ResponsibilityFactory(team=sibling_team, category="Refunds")
    client.force_login(manager)
    page = client.get(f"/teams/{team.parent_id}/responsibilities/").content.decode()
    assert "Sizing" in page and "Refunds" in page


def test_department_matrix_hides_sibling_rows_from_a_supervisor(client, supervisor, team, sibling_team):
    ResponsibilityFactory(team=team, category="Sizing")
    ResponsibilityFactory(team=sibling_team, category="Refunds")
    client.force_login(supervisor)
    page = client.get(f"/teams/{team.parent_id}/responsibilities/").content.decode()
    assert "Sizing" in page and "Refunds" not in page


@pytest.mark.parametrize("size", [3, 40])
def test_team_pages_use_a_fixed_number_of_queries(client, supervisor, team, size, django_assert_max_num_queries):
    from django.utils import timezone

    for index in range(size):
        person = member(team)
        ShiftFactory(team=team, user=person, date=timezone.localdate())
        ResponsibilityFactory(team=team, owner=person, category=f"Category {index}")
    client.force_login(supervisor)
    for url in (f"/teams/{team.pk}/", f"/teams/{team.pk}/responsibilities/", "/teams/"):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


def test_member_forms_do_not_offer_the_manager_role_to_a_supervisor(client, supervisor, agent, team):
    client.force_login(supervisor)
    form = client.get(f"/teams/{team.pk}/members/new/").context["form"]
    assert "manager" not in dict(form.fields["role"].choices)
    response = client.post(f"/teams/{team.pk}/members/new/", {"username": "boss", "role": "manager"})
    assert response.status_code == 200 and "role" in response.context["form"].errors
    assert not Membership.objects.filter(user__username="boss").exists()


def test_denied_pages_use_the_site_layout(client, agent, outsider, team):
    client.force_login(agent)
    forbidden = client.get(f"/teams/{team.pk}/members/new/")
    assert forbidden.status_code == 403 and "Only the team's supervisors" in forbidden.content.decode()
    client.force_login(outsider)
    missing = client.get(f"/teams/{team.pk}/")
    assert missing.status_code == 404 and "Back to my team" in missing.content.decode()
