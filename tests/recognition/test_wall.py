"""The team wall: last week's award, other awards, this week's top five, kudos, good cases; who may open it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from kpi.models import DailyAgentMetric
from recognition.leaderboard import WEEK, period_of, team_today
from recognition.models import Award, GoodCase, Kudos
from recognition.wall import local_week_start
from teams.models import Role
from tests.conversations.factories import ConversationFactory
from tests.factories import member
from tests.query_counts import cold_start
from tests.recognition.test_leaderboard import day_metrics

URL = "/recognition/wall/"


def route_exists(name: str, *args) -> bool:
    try:
        reverse(name, args=args)
    except NoReverseMatch:
        return False
    return True


def this_week(team):
    return period_of(WEEK, team_today(team))


def give(team, giver, receiver, message, *, value="patience", days_ago: float = 0):
    kudos = Kudos.objects.create(team=team, giver=giver, receiver=receiver, value=value, message=message)
    if days_ago:
        Kudos.objects.filter(pk=kudos.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return kudos


@pytest.fixture
def wall(team, agent, second_agent, supervisor, qa_inspector):
    week = this_week(team)
    last_week = week.previous
    weekly = Award.objects.create(
        team=team,
        kind="weekly",
        period=last_week.key,
        period_start=last_week.start,
        period_end=last_week.end,
        winner=second_agent,
        score=Decimal("81.2400"),
        runner_up=agent,
        margin=Decimal("6.5000"),
        breakdown={"winner_id": second_agent.pk, "no_winner_reason": ""},
    )
    older = last_week.previous
    Award.objects.create(
        team=team, kind="weekly", period=older.key, period_start=older.start, period_end=older.end, winner=agent
    )
    Award.objects.create(
        team=team,
        kind="special",
        period_start=week.start,
        period_end=week.start,
        winner=agent,
        citation="Calmed an angry customer and saved the order.",
        granted_by=supervisor,
    )
    for person, count in ((agent, 12), (second_agent, 8)):
        day_metrics(team, person, week.start, conversations=count, resolved=count // 2)
    mine = ConversationFactory(team=team, agent=agent)
    theirs = ConversationFactory(team=team, agent=second_agent)
    GoodCase.objects.create(team=team, conversation=mine, marked_by=qa_inspector, note="Explained sizing patiently.")
    GoodCase.objects.create(team=team, conversation=theirs, marked_by=supervisor, note="Turned a refund into an order.")
    give(team, second_agent, agent, "Thanks for covering my shift!")
    give(team, supervisor, agent, "Great save on the complaint.", value="care")
    give(team, agent, second_agent, "Your product tips help me every day.", value="expertise")
    give(team, agent, second_agent, "Thanks for the help with returns.", days_ago=10)
    give(team, agent, second_agent, "An old thank-you.", days_ago=20)
    return weekly


def test_the_wall_shows_every_panel(client, team, wall, agent, second_agent):
    client.force_login(agent)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    panel = response.context["wall"]
    assert panel.weekly_award == wall
    assert str(second_agent) in html and "81.2" in html and f"6.5 points ahead of {agent}" in html
    assert [award.kind for award in panel.recent_awards] == ["special"]
    assert "Calmed an angry customer" in html
    assert [(row.username, row.rank) for row in panel.board.rows] == [("alice", 1), ("bob", 2)]
    assert 'data-own-row="1" data-agent="alice"' in html
    # kudos of the last 14 days, newest first; counts cover this local week only
    assert [k.message for k in panel.kudos][:3] == [
        "Your product tips help me every day.",
        "Great save on the complaint.",
        "Thanks for covering my shift!",
    ]
    assert "Thanks for the help with returns." in html and "An old thank-you." not in html
    counts = {row["receiver_id"]: row["received"] for row in panel.kudos_counts}
    assert counts == {agent.pk: 2, second_agent.pk: 1}
    assert "Customer care" in html  # the value tag, as a label


def test_the_last_weeks_award_links_to_why_it_was_won(client, team, wall, agent):
    client.force_login(agent)
    html = client.get(URL).content.decode()
    if route_exists("recognition-award-detail", wall.pk):
        assert f'href="{wall.get_absolute_url()}" id="weekly-award-why"' in html
    else:
        assert "weekly-award-why" not in html


def test_buttons_to_other_areas_appear_only_when_their_pages_exist(client, team, wall, agent):
    client.force_login(agent)
    html = client.get(URL).content.decode()
    assert ('id="give-kudos"' in html) == route_exists("recognition-kudos-new")
    assert ("All good cases" in html) == route_exists("recognition-good-case-list")


def test_conversation_links_only_for_those_allowed(client, team, wall, agent, supervisor):
    mine, theirs = GoodCase.objects.order_by("id")
    client.force_login(agent)
    html = client.get(URL).content.decode()
    assert "Explained sizing patiently." in html and "Turned a refund into an order." in html
    assert f"/conversations/{mine.conversation_id}/" in html
    assert f"/conversations/{theirs.conversation_id}/" not in html
    client.force_login(supervisor)
    html = client.get(URL).content.decode()
    assert f"/conversations/{theirs.conversation_id}/" in html and f"/conversations/{mine.conversation_id}/" in html


def test_the_podium_shows_only_eligible_candidates(client, team, wall, agent):
    candidates = [
        {"rank": 2, "username": "bob", "display_name": "Bob B.", "total": 81.24, "eligible": True},
        {"rank": 1, "username": "quinn", "display_name": "Top But Ineligible", "total": 95.0, "eligible": False},
        {"rank": 3, "username": "alice", "display_name": "Alice A.", "total": 74.76, "eligible": True},
    ]
    Award.objects.filter(pk=wall.pk).update(breakdown={"candidates": candidates, "no_winner_reason": ""})
    client.force_login(agent)
    response = client.get(URL)
    assert [c["username"] for c in response.context["wall"].weekly_award.podium] == ["bob", "alice"]
    assert "Top But Ineligible" not in response.content.decode()


def test_a_week_without_a_winner_says_why(client, team, wall, agent):
    Award.objects.filter(pk=wall.pk).update(
        winner=None, score=None, margin=None, breakdown={"no_winner_reason": "No agent was eligible."}
    )
    client.force_login(agent)
    html = client.get(URL).content.decode()
    assert "Nobody won this week." in html and "No agent was eligible." in html


def test_an_empty_wall_explains_itself(client, team, agent):
    client.force_login(agent)
    html = client.get(URL).content.decode()
    assert "The first best-agent award is given after this week ends" in html
    assert "No kudos yet" in html and "No good cases shared yet." in html


def test_kudos_counts_follow_the_teams_local_week(team):
    # Monday 00:30 in Shanghai is still Sunday in UTC: it belongs to the new local week
    now = dt.datetime(2026, 11, 22, 16, 30, tzinfo=dt.UTC)
    start = local_week_start(team, now)
    assert start.isoformat() == "2026-11-23T00:00:00+08:00"


@pytest.mark.parametrize("actor", ["outsider", "sibling_agent"])
def test_other_teams_get_404(client, request, team, wall, actor):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(URL, {"team": team.pk}).status_code == 404


def test_anonymous_is_sent_to_log_in(client, team):
    assert client.get(URL, {"team": team.pk}).status_code == 302


@pytest.mark.parametrize("actor", ["supervisor", "qa_inspector", "manager"])
def test_people_who_supervise_the_team_open_its_wall(client, request, team, wall, actor):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(URL, {"team": team.pk}).status_code == 200


def test_the_manager_picks_among_several_teams(client, team, sibling_team, manager, sibling_agent):
    client.force_login(manager)
    response = client.get(URL, {"team": sibling_team.pk})
    assert response.context["team"] == sibling_team
    names = [option.name for option in response.context["teams"]]
    assert names == ["After-sales", "Pre-sales", "Online Service"]  # teams first, the department last
    assert 'id="wall-team"' in response.content.decode()


def test_an_agent_in_one_team_gets_no_picker(client, team, agent):
    client.force_login(agent)
    assert 'id="wall-team"' not in client.get(URL).content.decode()


def _fill(team, size: int, supervisor, qa_inspector) -> None:
    """`size` agents with figures, kudos between them, awards and good cases."""
    for model in (DailyAgentMetric, Kudos, GoodCase, Award):
        model.objects.filter(team=team).delete()
    week = this_week(team)
    people = [member(team, Role.AGENT, username=f"w{size}-{n:03d}") for n in range(size)]
    DailyAgentMetric.objects.bulk_create(
        DailyAgentMetric(team=team, agent=person, date=day, conversations=n + 1)
        for n, person in enumerate(people)
        for day in (week.start, week.previous.start)
    )
    Kudos.objects.bulk_create(
        Kudos(team=team, giver=person, receiver=people[(n + 1) % size], value="teamwork", message=f"Thanks {n}")
        for n, person in enumerate(people)
    )
    for n, person in enumerate(people[:size]):
        chat = ConversationFactory(team=team, agent=person)
        GoodCase.objects.create(team=team, conversation=chat, marked_by=qa_inspector, note=f"Case {n}")
        Award.objects.create(
            team=team,
            kind="special",
            period_start=week.start,
            period_end=week.start,
            winner=person,
            granted_by=supervisor,
            citation=f"Citation {n}",
        )


@pytest.mark.parametrize("actor", ["agent", "supervisor"])
def test_query_count_is_the_same_at_two_sizes(client, request, team, supervisor, qa_inspector, actor):
    client.force_login(request.getfixturevalue(actor))
    counts = []
    for size in (5, 60):
        _fill(team, size, supervisor, qa_inspector)
        cold_start()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"team": team.pk})
        assert response.status_code == 200
        assert len(response.context["wall"].kudos_counts) == size
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 20, counts
