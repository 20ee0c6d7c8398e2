"""Kudos pages: the form (back to the team wall), its errors, the list with team and week filters and counts."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import NoReverseMatch

from recognition import kudos
from recognition.models import Kudos
from teams.models import Membership, Role
from tests.factories import member
from tests.recognition.test_kudos import give, move_to

NEW, LIST = "/recognition/kudos/new/", "/recognition/kudos/"
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def form(receiver, **overrides):
    return {
        "receiver": receiver.pk,
        "value": "teamwork",
        "message": "Thanks for taking my queue at lunch.",
        **overrides,
    }


def test_anonymous_is_sent_to_log_in(client):
    for url in (NEW, LIST):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_form_offers_my_teams_colleagues(client, agent, second_agent, supervisor, sibling_agent, outsider):
    client.force_login(agent)
    page = client.get(NEW, {"receiver": second_agent.pk}).content.decode()
    assert f'<option value="{second_agent.pk}" selected>' in page
    assert f'value="{supervisor.pk}"' in page
    for stranger in (agent, sibling_agent, outsider):
        assert f'<option value="{stranger.pk}"' not in page
    assert 'id="kudos-values"' in page and "Patience" in page


def test_giving_kudos_returns_to_the_team_wall(client, team, agent, second_agent):
    client.force_login(agent)
    response = client.post(NEW, form(second_agent))
    given = Kudos.objects.get()
    assert (given.giver, given.receiver, given.team, given.value) == (agent, second_agent, team, "teamwork")
    assert response.status_code == 302 and response["Location"] == kudos.wall_url(team.pk)
    assert response["Location"].endswith(f"?team={team.pk}")


def test_from_a_teams_wall_the_form_offers_that_teams_colleagues(
    client, sibling_team, agent, second_agent, sibling_agent
):
    Membership.objects.create(user=agent, team=sibling_team, role=Role.AGENT)
    client.force_login(agent)
    page = client.get(NEW, {"team": sibling_team.pk}).content.decode()
    assert f'<option value="{sibling_agent.pk}"' in page and f'<option value="{second_agent.pk}"' not in page
    response = client.post(f"{NEW}?team={sibling_team.pk}", form(sibling_agent))
    assert response.status_code == 302 and Kudos.objects.get().team == sibling_team
    everyone = client.get(NEW, {"team": 999999}).content.decode()  # not a team of mine: ignored
    assert f'<option value="{sibling_agent.pk}"' in everyone and f'<option value="{second_agent.pk}"' in everyone


def test_without_the_wall_it_returns_to_the_kudos_list(client, monkeypatch, team, agent, second_agent):
    real_reverse = kudos.reverse

    def reverse_without_wall(name, *args, **kwargs):
        if name == "recognition-wall":
            raise NoReverseMatch(name)
        return real_reverse(name, *args, **kwargs)

    monkeypatch.setattr(kudos, "reverse", reverse_without_wall)
    client.force_login(agent)
    response = client.post(NEW, form(second_agent))
    assert response["Location"] == f"{LIST}?team={team.pk}"


def test_errors_are_shown_on_the_form_and_nothing_is_sent(client, agent, second_agent, sibling_agent):
    client.force_login(agent)
    for data in (form(agent), form(sibling_agent), form(second_agent, message=""), form(second_agent, value="luck")):
        response = client.post(NEW, data)
        assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert Kudos.objects.count() == 0


def test_the_daily_limits_are_explained_on_the_form(client, team, agent, second_agent):
    client.force_login(agent)
    client.post(NEW, form(second_agent))
    page = client.post(NEW, form(second_agent, value="care")).content.decode()
    assert "you can thank them again tomorrow" in page
    others = [member(team, Role.AGENT) for _ in range(5)]
    for colleague in others[:4]:
        client.post(NEW, form(colleague))
    page = client.post(NEW, form(others[4])).content.decode()
    assert "alert-danger" in page and "the most for one day" in page
    assert Kudos.objects.count() == 5


def test_someone_without_colleagues_is_told(client, other_team):
    loner = member(other_team, Role.AGENT)
    client.force_login(loner)
    page = client.get(NEW).content.decode()
    assert "no colleagues to thank" in page and 'id="kudos-form"' not in page


def test_the_list_filters_by_team_and_week_and_counts_the_week(client, team, agent, second_agent, supervisor):
    monday = dt.date(2026, 11, 16)
    this_week = give(agent, second_agent, message="In week 47")
    move_to(this_week, dt.datetime.combine(monday, dt.time(10), tzinfo=SHANGHAI))
    earlier = give(supervisor, second_agent, message="In week 46")
    move_to(earlier, dt.datetime.combine(monday - dt.timedelta(days=3), dt.time(10), tzinfo=SHANGHAI))
    client.force_login(agent)
    page = client.get(LIST, {"team": team.pk, "week": "2026-W47"}).content.decode()
    assert "In week 47" in page and "In week 46" not in page
    assert 'id="kudos-counts"' in page and "2026-W47" in page
    everything = client.get(LIST).content.decode()
    assert "In week 47" in everything and "In week 46" in everything and 'id="kudos-counts"' not in everything
    assert "Write the week as" in client.get(LIST, {"week": "soon"}, follow=True).content.decode()


def test_a_team_i_do_not_read_is_a_404(client, agent, sibling_team, other_team):
    client.force_login(agent)
    for team_id in (sibling_team.pk, other_team.pk, "x"):
        assert client.get(LIST, {"team": team_id}).status_code == 404


def test_the_list_shows_only_kudos_of_teams_i_read(client, sibling_team, agent, second_agent, sibling_agent):
    give(second_agent, agent, message="Ours")
    give(sibling_agent, member(sibling_team, Role.AGENT), message="Theirs")
    client.force_login(agent)
    page = client.get(LIST).content.decode()
    assert "Ours" in page and "Theirs" not in page


@pytest.mark.parametrize("size", [3, 40])
def test_the_list_page_takes_a_fixed_number_of_queries(client, team, agent, django_assert_max_num_queries, size):
    people = [member(team, Role.AGENT) for _ in range(8)]
    for i in range(size):
        given = give(people[i % 8], people[(i + 1) % 8], message=f"kudos {i}")
        move_to(given, given.created_at - dt.timedelta(days=i + 1))
    client.force_login(agent)
    with django_assert_max_num_queries(14):
        response = client.get(LIST, {"team": team.pk})
    assert response.status_code == 200 and response.content.decode().count('class="list-group-item kudos-item"') == size
    with django_assert_max_num_queries(14):
        assert client.get(LIST, {"team": team.pk, "week": "2026-W47"}).status_code == 200
