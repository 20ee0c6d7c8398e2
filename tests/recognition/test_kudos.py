"""Kudos: who may thank whom, the message and value, the daily limits in the team's time zone, counts per week."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import Notification
from recognition import kudos
from recognition.models import Kudos
from teams.models import Membership, Role
from tests.factories import TeamFactory, member

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def give(giver, receiver, value="patience", message="Thanks for covering my shift!", **extra):
    return kudos.kudos_give(giver=giver, receiver=receiver, value=value, message=message, **extra)


def move_to(given: Kudos, when: dt.datetime) -> None:
    """Pretend a kudos was sent at `when` (created_at is set by the database clock)."""
    Kudos.objects.filter(pk=given.pk).update(created_at=when)


def test_a_member_thanks_a_colleague_and_the_colleague_is_told(team, agent, second_agent):
    given = give(agent, second_agent, message="  Thanks for the handover notes.  ")
    assert (given.team, given.giver, given.receiver, given.value) == (team, agent, second_agent, "patience")
    assert given.message == "Thanks for the handover notes."
    notice = Notification.objects.get(recipient=second_agent)
    assert notice.kind == "kudos" and notice.dedupe_key == f"kudos:{given.pk}"
    assert "alice" in notice.text or str(agent) in notice.text
    assert "Thanks for the handover notes." in notice.text
    assert not Notification.objects.filter(recipient=agent).exists()


def test_a_supervisor_may_thank_an_agent_too(supervisor, agent):
    assert give(supervisor, agent).receiver == agent


def test_nobody_thanks_themselves(agent):
    with pytest.raises(ValidationError) as error:
        give(agent, agent)
    assert "receiver" in error.value.message_dict
    assert Kudos.objects.count() == 0


@pytest.mark.parametrize("who", ["sibling_agent", "outsider", "manager"])
def test_people_outside_the_team_cannot_be_thanked(request, agent, who):
    stranger = request.getfixturevalue(who)
    for giver, receiver in ((agent, stranger), (stranger, agent)):
        with pytest.raises(ValidationError) as error:
            give(giver, receiver)
        assert list(error.value.message_dict) == ["receiver"]
    assert Kudos.objects.count() == 0 and Notification.objects.count() == 0


def test_a_former_member_cannot_give_or_receive(team, agent, second_agent):
    Membership.objects.filter(user=second_agent, team=team).update(active=False)
    with pytest.raises(ValidationError) as error:
        give(agent, second_agent)
    assert "receiver" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        give(second_agent, agent)


def test_the_message_and_value_are_checked_and_named(agent, second_agent):
    with pytest.raises(ValidationError) as error:
        give(agent, second_agent, value="luck", message="   ")
    assert set(error.value.message_dict) == {"value", "message"}
    with pytest.raises(ValidationError) as error:
        give(agent, second_agent, message="x" * 281)
    assert "280" in error.value.message_dict["message"][0]
    assert give(agent, second_agent, message="x" * 280).message == "x" * 280


def test_with_two_shared_teams_the_caller_may_choose(team, sibling_team, agent, second_agent, sibling_agent):
    Membership.objects.create(user=agent, team=sibling_team, role=Role.AGENT)
    Membership.objects.create(user=second_agent, team=sibling_team, role=Role.AGENT)
    assert give(agent, second_agent, team=sibling_team).team == sibling_team
    assert give(agent, sibling_agent).team == sibling_team
    with pytest.raises(ValidationError) as error:
        give(agent, sibling_agent, team=team)
    assert "team" in error.value.message_dict


# --- rate limits ---------------------------------------------------------------------------------


def test_one_kudos_per_colleague_per_day(agent, second_agent):
    give(agent, second_agent)
    with pytest.raises(kudos.KudosRateLimited) as error:
        give(agent, second_agent, value="expertise", message="And again!")
    assert list(error.value.message_dict) == ["receiver"]
    assert "tomorrow" in error.value.message_dict["receiver"][0]
    assert 0 < error.value.retry_after <= 24 * 3600
    assert Kudos.objects.count() == 1
    # The colleague may still thank back: the limit is per giver and receiver.
    give(second_agent, agent)


def test_five_kudos_per_giver_per_day(team, agent):
    colleagues = [member(team, Role.AGENT) for _ in range(6)]
    for colleague in colleagues[:5]:
        give(agent, colleague)
    with pytest.raises(kudos.KudosRateLimited) as error:
        give(agent, colleagues[5])
    assert list(error.value.message_dict) == [NON_FIELD_ERRORS]
    assert Kudos.objects.filter(giver=agent).count() == 5
    assert not Notification.objects.filter(recipient=colleagues[5]).exists()


def test_the_limits_reset_at_the_teams_local_midnight(team, agent, second_agent):
    others = [member(team, Role.AGENT) for _ in range(5)]
    yesterday_evening = dt.datetime.combine(
        timezone.now().astimezone(SHANGHAI).date() - dt.timedelta(days=1), dt.time(23, 59), tzinfo=SHANGHAI
    )
    for colleague in [second_agent, *others[:4]]:
        move_to(give(agent, colleague), yesterday_evening)
    # Yesterday (local) is over: the same colleague again, and five more today.
    give(agent, second_agent)
    for colleague in others[:4]:
        give(agent, colleague)
    with pytest.raises(kudos.KudosRateLimited):
        give(agent, others[4])


def test_the_day_is_the_teams_local_day_not_utc(team, agent, second_agent):
    """Just after midnight in Shanghai it is still yesterday in UTC; a kudos sent then counts for the local day."""
    local_today = timezone.now().astimezone(SHANGHAI).date()
    start, _end = kudos.local_day_bounds("Asia/Shanghai")
    assert start == dt.datetime.combine(local_today, dt.time.min, tzinfo=SHANGHAI)
    move_to(give(agent, second_agent), start + dt.timedelta(minutes=1))
    with pytest.raises(kudos.KudosRateLimited):
        give(agent, second_agent)
    move_to(Kudos.objects.get(), start - dt.timedelta(minutes=1))
    give(agent, second_agent)


def test_retry_after_runs_to_the_teams_next_midnight(agent, second_agent):
    give(agent, second_agent)
    with pytest.raises(kudos.KudosRateLimited) as error:
        give(agent, second_agent)
    _start, end = kudos.local_day_bounds("Asia/Shanghai")
    assert abs(error.value.retry_after - (end - timezone.now()).total_seconds()) < 5


# --- counts --------------------------------------------------------------------------------------


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def test_counts_per_person_and_week(team, sibling_team, agent, second_agent, supervisor, sibling_agent):
    monday = dt.date(2026, 11, 16)  # 2026-W47
    move_to(give(agent, second_agent), at(monday))
    move_to(give(supervisor, second_agent), at(monday + dt.timedelta(days=6), hour=23))  # Sunday 23:00 local
    move_to(give(second_agent, agent), at(monday + dt.timedelta(days=2)))
    move_to(give(agent, supervisor), at(monday - dt.timedelta(days=1), hour=23))  # the week before
    move_to(give(supervisor, agent), at(monday + dt.timedelta(days=7), hour=0))  # the week after
    colleague = member(sibling_team, Role.AGENT)
    move_to(give(sibling_agent, colleague), at(monday))  # another team

    counts = kudos.kudos_counts(team_id=team.pk, week_start=monday, week_end=monday + dt.timedelta(days=6))
    assert counts == {
        second_agent.pk: {"received": 2, "given": 1},
        agent.pk: {"received": 1, "given": 1},
        supervisor.pk: {"received": 0, "given": 1},
    }
    rows = kudos.kudos_count_rows(team_id=team.pk, week_start=monday, week_end=monday + dt.timedelta(days=6))
    assert [(row.person, row.received, row.given) for row in rows] == [
        (second_agent, 2, 1),
        (agent, 1, 1),
        (supervisor, 0, 1),
    ]


def test_counts_follow_the_teams_time_zone(agent):
    team_in_london = TeamFactory(name="London desk", timezone="Europe/London")
    giver, receiver = member(team_in_london, Role.AGENT), member(team_in_london, Role.AGENT)
    monday = dt.date(2026, 11, 16)
    london = zoneinfo.ZoneInfo("Europe/London")
    # Monday 02:00 in London is Monday 10:00 in Shanghai; Sunday 23:30 in London is Monday in Shanghai.
    move_to(give(giver, receiver), dt.datetime.combine(monday, dt.time(2), tzinfo=london))
    move_to(give(receiver, giver), dt.datetime.combine(monday - dt.timedelta(days=1), dt.time(23, 30), tzinfo=london))
    counts = kudos.kudos_counts(team_id=team_in_london.pk, week_start=monday, week_end=monday + dt.timedelta(days=6))
    assert counts == {receiver.pk: {"received": 1, "given": 0}, giver.pk: {"received": 0, "given": 1}}


def test_counts_take_a_fixed_number_of_queries(team, django_assert_num_queries):
    people = [member(team, Role.AGENT) for _ in range(6)]
    for giver in people:
        for receiver in people[:3]:
            if giver != receiver:
                give(giver, receiver)
    today = timezone.now().astimezone(SHANGHAI).date()
    with django_assert_num_queries(3):
        counts = kudos.kudos_counts(team_id=team.pk, week_start=today, week_end=today)
    assert sum(c["received"] for c in counts.values()) == sum(c["given"] for c in counts.values()) == 15


def test_iso_weeks():
    assert kudos.parse_iso_week("2026-W47") == dt.date(2026, 11, 16)
    assert kudos.iso_week_label(dt.date(2026, 11, 22)) == "2026-W47"
    assert kudos.parse_iso_week("2027-W01") == dt.date(2027, 1, 4)
    for bad in ("2026-47", "2026-W60", "", "W47"):
        with pytest.raises(ValueError):
            kudos.parse_iso_week(bad)


def test_colleagues_are_the_active_members_of_my_own_teams(
    team, agent, second_agent, supervisor, manager, sibling_agent
):
    assert set(kudos.colleagues(agent)) == {second_agent, supervisor}
    assert manager not in kudos.colleagues(agent) and sibling_agent not in kudos.colleagues(agent)
