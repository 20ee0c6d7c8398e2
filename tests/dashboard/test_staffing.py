"""Staffing advice on hand-made volumes, handling times and shifts; its page and API; fixed query counts."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.staffing import StaffingTargets, sample_dates, staffing_advice, staffing_advice_for_teams
from kpi.models import HourlyVolume
from teams.models import Role, Shift
from tests.conversations.factories import ConversationFactory
from tests.factories import TeamFactory, member
from tests.query_counts import cold_start

DAY = dt.date(2026, 11, 20)  # a Friday, in the past: its samples are the four Fridays before it
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def volume_history(team, day: dt.date, per_hour: dict[int, int], weeks: int = 4, aht_seconds: int = 180) -> None:
    """`per_hour` chats started in each hour on `day`'s weekday for `weeks` weeks, each lasting `aht_seconds`."""
    for week in range(1, weeks + 1):
        sampled = day - dt.timedelta(days=7 * week)
        for hour, chats in per_hour.items():
            HourlyVolume.objects.create(team=team, date=sampled, hour=hour, conversations=chats)
        start = dt.datetime.combine(sampled, dt.time(10), tzinfo=SHANGHAI)
        ConversationFactory(team=team, started_at=start, closed_at=start + dt.timedelta(seconds=aht_seconds))


def shift(team, person, start: str, end: str, day: dt.date = DAY) -> Shift:
    return Shift.objects.create(
        team=team, user=person, date=day, start_time=dt.time.fromisoformat(start), end_time=dt.time.fromisoformat(end)
    )


@pytest.fixture
def floor(team, agent, second_agent, supervisor):
    """20 chats at 10:00 and 40 at 11:00 on Fridays, 180 s each (1 and 2 Erlangs); alice 09-11, bob 10:30-12."""
    volume_history(team, DAY, {10: 20, 11: 40})
    shift(team, agent, "09:00", "11:00")
    shift(team, second_agent, "10:30", "12:00")
    shift(team, supervisor, "10:00", "12:00")  # supervisors are not counted as answering chats
    return team


def test_sample_dates_are_the_same_weekday_before_today():
    today = dt.date(2026, 11, 30)  # a Monday
    assert sample_dates(dt.date(2026, 11, 20), today=today, weeks=2) == [dt.date(2026, 11, 13), dt.date(2026, 11, 6)]
    assert sample_dates(today, today=today, weeks=1) == [dt.date(2026, 11, 23)]
    # A future Thursday: the Thursdays already past, never the future.
    assert sample_dates(dt.date(2026, 12, 3), today=today, weeks=2) == [dt.date(2026, 11, 26), dt.date(2026, 11, 19)]
    assert sample_dates(dt.date(2026, 12, 17), today=today, weeks=1) == [dt.date(2026, 11, 26)]


def test_needed_beside_scheduled_by_hand(floor):
    advice = staffing_advice(team=floor, day=DAY)
    assert advice.weeks_with_data == 4 and advice.aht_seconds == 180 and advice.handled_conversations == 4
    by_hour = {hour.hour: hour for hour in advice.hours}
    # 1 Erlang, 80 % within 30 s: two agents answer 71.8 % (1 − e^(−1/6)/3), three 93.5 %. 2 Erlangs: three 62.4 %, four 87.5 %.
    assert (by_hour[10].expected_conversations, by_hour[10].needed) == (20, 3)
    assert (by_hour[11].expected_conversations, by_hour[11].needed) == (40, 4)
    assert (by_hour[9].needed, by_hour[9].scheduled, by_hour[9].gap, by_hour[9].short) == (0, 1, 1, False)
    assert (by_hour[10].scheduled, by_hour[10].gap, by_hour[10].short) == (1.5, -1.5, True)
    assert (by_hour[11].scheduled, by_hour[11].gap, by_hour[11].short) == (1, -3, True)
    assert [hour.hour for hour in advice.short_hours] == [10, 11]
    assert advice.needed_agent_hours == 7 and advice.scheduled_agent_hours == 3.5
    assert all(hour.needed == 0 and hour.scheduled == 0 for hour in advice.hours if hour.hour not in (9, 10, 11))


def test_targets_change_the_advice(floor):
    looser = staffing_advice(team=floor, day=DAY, targets=StaffingTargets(service_level_percent=70))
    assert [looser.hours[10].needed, looser.hours[11].needed] == [2, 4]
    two_at_once = staffing_advice(team=floor, day=DAY, targets=StaffingTargets(chats_at_once=2))
    assert [two_at_once.hours[10].needed, two_at_once.hours[11].needed] == [2, 3]
    busy_at_most_half = staffing_advice(team=floor, day=DAY, targets=StaffingTargets(max_occupancy_percent=50))
    assert [busy_at_most_half.hours[10].needed, busy_at_most_half.hours[11].needed] == [3, 4]


def test_weeks_without_data_do_not_dilute_the_average(team):
    volume_history(team, DAY, {14: 30}, weeks=2)  # a new team: two Fridays of history out of four
    advice = staffing_advice(team=team, day=DAY)
    assert advice.weeks_with_data == 2
    assert advice.hours[14].expected_conversations == 30
    uneven = TeamFactory(name="Uneven")
    HourlyVolume.objects.create(team=uneven, date=DAY - dt.timedelta(days=7), hour=9, conversations=10)
    HourlyVolume.objects.create(team=uneven, date=DAY - dt.timedelta(days=14), hour=15, conversations=6)
    spread = staffing_advice(team=uneven, day=DAY)
    assert (
        spread.weeks_with_data,
        spread.hours[9].expected_conversations,
        spread.hours[15].expected_conversations,
    ) == (
        2,
        5,
        3,
    )
    # no closed chats: the handling time is unknown, so the hours with chats have no advice (and are not "short")
    assert spread.aht_seconds is None and spread.hours[9].needed is None and not spread.short_hours


def test_other_weekdays_and_other_teams_are_not_counted(floor, sibling_team):
    HourlyVolume.objects.create(team=floor, date=DAY - dt.timedelta(days=8), hour=10, conversations=500)  # a Thursday
    HourlyVolume.objects.create(team=sibling_team, date=DAY - dt.timedelta(days=7), hour=10, conversations=500)
    assert staffing_advice(team=floor, day=DAY).hours[10].expected_conversations == 20


def test_overnight_shifts_reach_into_the_next_morning(team, agent, second_agent):
    shift(team, agent, "22:00", "02:00", day=DAY - dt.timedelta(days=1))
    shift(team, second_agent, "20:00", "01:30")
    scheduled = [hour.scheduled for hour in staffing_advice(team=team, day=DAY).hours]
    assert scheduled[:3] == [1, 1, 0]  # yesterday's night shift until 02:00
    assert scheduled[19:] == [0, 1, 1, 1, 1]  # today's from 20:00; its early hours belong to tomorrow
    tomorrow = [hour.scheduled for hour in staffing_advice(team=team, day=DAY + dt.timedelta(days=1)).hours]
    assert tomorrow[:3] == [1, 0.5, 0]


def test_only_active_agents_of_the_team_count(team, sibling_team, agent, sibling_agent):
    shift(team, agent, "09:00", "10:00")
    shift(sibling_team, sibling_agent, "09:00", "10:00")
    leaver = member(team, Role.AGENT, username="leaver")
    leaver.memberships.update(active=False)
    shift(team, leaver, "09:00", "10:00")
    helper = member(sibling_team, Role.AGENT, username="helper")  # an agent of another team, on this team's rota
    shift(team, helper, "09:00", "10:00")
    assert staffing_advice(team=team, day=DAY).hours[9].scheduled == 1


def _count_queries(function) -> int:
    cold_start()
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_three_queries_whatever_the_number_of_teams_agents_and_history(department):
    def build(teams: int, agents: int, weeks: int):
        made = []
        for number in range(teams):
            team = TeamFactory(name=f"Team {teams}-{number}", parent=department)
            volume_history(team, DAY, {9: 5, 10: 12, 15: 8}, weeks=weeks)
            for index in range(agents):
                shift(team, member(team, username=f"a{teams}-{number}-{index}"), "09:00", "17:00")
            made.append(team)
        return made

    small, large = build(2, 5, 1), build(20, 100 // 20 * 5, 12)
    targets = StaffingTargets(weeks=12)

    def advise(teams):
        return lambda: staffing_advice_for_teams(teams=teams, days={t.pk: DAY for t in teams}, targets=targets)

    assert _count_queries(advise(small)) == _count_queries(advise(large)) == 3
    result = staffing_advice_for_teams(teams=large, days={t.pk: DAY for t in large}, targets=targets)
    assert all(r.weeks_with_data == 12 and r.hours[10].scheduled == 25 for r in result.values())


# ---- the page and the API -------------------------------------------------------------------------------


def test_the_page_shows_the_hours_with_the_gaps(client, supervisor, floor):
    client.force_login(supervisor)
    response = client.get("/dashboard/staffing/", {"team": floor.pk, "date": "2026-11-20"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-hour="10:00" class="table-danger"' in page and 'data-hour="09:00">' in page
    assert 'data-hour="03:00"' not in page  # quiet hours are left out of the page
    assert response.context["staffing"].short_hours[0].hour == 10
    assert response.context["form"]["service_level"].value() == 80
    assert response.context["form"]["answer_seconds"].value() == 30


def test_the_page_form_changes_the_targets_and_names_bad_fields(client, supervisor, floor):
    client.force_login(supervisor)
    looser = client.get("/dashboard/staffing/", {"team": floor.pk, "date": "2026-11-20", "service_level": 70})
    assert looser.context["staffing"].hours[10].needed == 2
    bad = client.get("/dashboard/staffing/", {"team": floor.pk, "service_level": 120, "weeks": 0})
    assert bad.status_code == 200 and "staffing" not in bad.context
    assert set(bad.context["form"].errors) == {"service_level", "weeks"}


def test_the_page_downloads_its_table(client, supervisor, floor):
    import csv
    import io

    client.force_login(supervisor)
    response = client.get("/dashboard/staffing/", {"team": floor.pk, "date": "2026-11-20", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == ["Hour", "Expected chats", "Agents needed", "Agents scheduled", "Gap"]
    assert len(lines) == 25
    assert lines[11] == ["10:00", "20.0", "3", "1.5", "-1.5"]
    refused = client.get("/dashboard/staffing/", {"team": floor.pk, "format": "ods"})
    assert refused.status_code == 400 and "ods" in refused.content.decode()


def test_the_api_gives_the_same_advice(api, supervisor, floor):
    response = api.as_user(supervisor).get("/api/v1/dashboard/staffing/", {"team": floor.pk, "date": "2026-11-20"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["team"] == floor.pk and body["date"] == "2026-11-20"
    assert body["targets"] == {
        "service_level": 80,
        "answer_seconds": 30,
        "weeks": 4,
        "chats_at_once": 1,
        "max_occupancy": None,
    }
    assert body["sample_dates"] == ["2026-11-13", "2026-11-06", "2026-10-30", "2026-10-23"]
    assert body["short_hours"] == [10, 11] and body["aht_seconds"] == 180
    assert body["hours"][10] == {
        "hour": 10,
        "expected_conversations": 20.0,
        "needed": 3,
        "scheduled": 1.5,
        "gap": -1.5,
        "short": True,
    }


def test_the_api_names_bad_parameters(api, supervisor, floor):
    response = api.as_user(supervisor).get(
        "/api/v1/dashboard/staffing/", {"team": floor.pk, "answer_seconds": 0, "date": "Friday"}
    )
    assert response.status_code == 400 and set(response.json()) == {"answer_seconds", "date"}


def test_page_and_api_queries_do_not_grow(client, api, supervisor, team, django_assert_max_num_queries):
    client.force_login(supervisor)
    api_client = api.as_user(supervisor)

    def counts():
        page = _count_queries(lambda: client.get("/dashboard/staffing/", {"team": team.pk, "date": "2026-11-20"}))
        json = _count_queries(lambda: api_client.get("/api/v1/dashboard/staffing/", {"team": team.pk}))
        return page, json

    volume_history(team, DAY, {10: 4})
    shift(team, member(team, username="first"), "09:00", "18:00")
    before = counts()
    volume_history(team, DAY - dt.timedelta(days=364), dict.fromkeys(range(24), 50), weeks=12)
    for index in range(100):
        shift(team, member(team, username=f"agent{index}"), "08:00", "20:00")
    assert counts() == before
    with django_assert_max_num_queries(12):
        client.get("/dashboard/staffing/", {"team": team.pk})
