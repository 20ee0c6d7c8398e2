"""/api/v1/kudos/: public within the team, filters, giving with errors that name the field, 429 over a limit."""

import datetime as dt
import zoneinfo

import pytest

from recognition.models import Kudos
from teams.models import Role
from tests.factories import member
from tests.recognition.test_kudos import give, move_to

URL = "/api/v1/kudos/"
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def payload(receiver, **overrides):
    return {"receiver": receiver.pk, "value": "expertise", "message": "You fixed the refund in one reply.", **overrides}


def test_giving_answers_201_with_the_kudos(api, team, agent, second_agent):
    response = api.as_user(agent).post(URL, payload(second_agent), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["team"] == team.pk and body["giver"] == agent.pk and body["receiver"] == second_agent.pk
    assert body["value"] == "expertise" and body["value_label"] == "Expertise"
    assert body["receiver_name"] == str(second_agent)


def test_anonymous_is_401(api, second_agent):
    assert api.as_user(None).post(URL, payload(second_agent), format="json").status_code == 401
    assert api.as_user(None).get(URL).status_code == 401


def test_self_kudos_is_a_400_naming_the_receiver(api, agent):
    response = api.as_user(agent).post(URL, payload(agent), format="json")
    assert response.status_code == 400 and "receiver" in response.json()
    assert Kudos.objects.count() == 0


@pytest.mark.parametrize("giver_name", ["sibling_agent", "outsider", "manager"])
def test_cross_team_kudos_is_a_400_naming_the_receiver(request, api, agent, giver_name):
    giver = request.getfixturevalue(giver_name)
    response = api.as_user(giver).post(URL, payload(agent), format="json")
    assert response.status_code == 400 and list(response.json()) == ["receiver"], response.content
    assert Kudos.objects.count() == 0


def test_bad_fields_are_named(api, agent, second_agent):
    response = api.as_user(agent).post(URL, payload(second_agent, value="luck", message="y" * 281), format="json")
    assert response.status_code == 400 and set(response.json()) == {"value", "message"}
    response = api.as_user(agent).post(URL, payload(second_agent, message=""), format="json")
    assert response.status_code == 400 and set(response.json()) == {"message"}


def test_the_same_colleague_twice_a_day_is_429_naming_the_receiver(api, agent, second_agent):
    client = api.as_user(agent)
    assert client.post(URL, payload(second_agent), format="json").status_code == 201
    response = client.post(URL, payload(second_agent, value="care"), format="json")
    assert response.status_code == 429
    assert list(response.json()) == ["receiver"]
    assert 0 < int(response["Retry-After"]) <= 24 * 3600
    assert Kudos.objects.count() == 1


def test_the_sixth_kudos_of_the_day_is_429_non_field(api, team, agent):
    colleagues = [member(team, Role.AGENT) for _ in range(6)]
    client = api.as_user(agent)
    for colleague in colleagues[:5]:
        assert client.post(URL, payload(colleague), format="json").status_code == 201
    response = client.post(URL, payload(colleagues[5]), format="json")
    assert response.status_code == 429 and list(response.json()) == ["non_field_errors"]
    assert "Retry-After" in response
    assert Kudos.objects.count() == 5


def test_kudos_are_public_within_the_team(
    api, sibling_team, agent, second_agent, supervisor, sibling_agent, manager, outsider
):
    ours = give(second_agent, supervisor)
    theirs = give(sibling_agent, member(sibling_team, Role.AGENT))
    expectations = [
        (agent, {ours.pk}),
        (manager, {ours.pk, theirs.pk}),
        (outsider, set()),
        (sibling_agent, {theirs.pk}),
    ]
    for user, visible in expectations:
        assert {row["id"] for row in api.as_user(user).get(URL).json()["results"]} == visible, user
    assert api.as_user(agent).get(f"{URL}{ours.pk}/").status_code == 200
    assert api.as_user(agent).get(f"{URL}{theirs.pk}/").status_code == 404


def test_outsider_gets_404_on_a_kudos_and_it_cannot_be_changed(api, agent, second_agent, outsider):
    given = give(agent, second_agent)
    assert api.as_user(outsider).get(f"{URL}{given.pk}/").status_code == 404
    for method in ("put", "patch", "delete"):
        response = getattr(api.as_user(agent), method)(f"{URL}{given.pk}/", {"message": "edited"}, format="json")
        assert response.status_code == 405
    assert Kudos.objects.get().message == given.message


def test_filters_team_receiver_giver_week(api, team, agent, second_agent, supervisor):
    monday = dt.date(2026, 11, 16)
    in_week = give(agent, second_agent)
    move_to(in_week, dt.datetime.combine(monday, dt.time(0, 30), tzinfo=SHANGHAI))
    before = give(supervisor, second_agent)
    move_to(before, dt.datetime.combine(monday, dt.time(0), tzinfo=SHANGHAI) - dt.timedelta(minutes=1))
    back = give(second_agent, agent)
    client = api.as_user(agent)

    def ids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(receiver=second_agent.pk) == {in_week.pk, before.pk}
    assert ids(giver=second_agent.pk) == {back.pk}
    assert ids(team=team.pk) == {in_week.pk, before.pk, back.pk}
    assert ids(team=999999) == set()
    assert ids(week="2026-W47") == {in_week.pk}
    assert ids(week="2026-W46") == {before.pk}
    response = client.get(URL, {"week": "last week"})
    assert response.status_code == 400 and "week" in response.json()


@pytest.mark.parametrize("size", [3, 40])
def test_the_list_takes_a_fixed_number_of_queries(api, team, agent, django_assert_max_num_queries, size):
    people = [member(team, Role.AGENT) for _ in range(8)]
    for i in range(size):
        given = give(people[i % 8], people[(i + 1) % 8])
        move_to(given, given.created_at - dt.timedelta(days=i + 1))  # spread over past days: no limit is hit
    client = api.as_user(agent)
    with django_assert_max_num_queries(6):
        response = client.get(URL, {"week": "2026-W47", "page_size": 100})
    assert response.status_code == 200
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"page_size": 100})
    assert len(response.json()["results"]) == size
