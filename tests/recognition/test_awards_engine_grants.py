"""Granting awards: once per team and period, replaced only on request with an audit entry, announced after commit."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, connections

from notifications.models import Notification
from recognition import tasks
from recognition.awards import computation
from recognition.awards.services import (
    AwardsRunError,
    award_monthly_grant,
    award_special_grant,
    award_weekly_grant,
    awards_weekly_run,
)
from recognition.models import Award, AwardAudit, AwardKind
from teams.models import Role
from tests.factories import TeamFactory, member
from tests.recognition.award_data import MONDAY, SUNDAY, WEEK, simple_weights, worked

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def week_won_by_alice(team, agent, second_agent):
    simple_weights(team)
    worked(team, agent, conversations=40, csat=5.0)
    worked(team, second_agent, day=SUNDAY, conversations=30, csat=4.0)
    return team


class TestWeekly:
    def test_grant_stores_the_result_audits_and_announces_after_commit(
        self, week_won_by_alice, agent, second_agent, supervisor, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            award = award_weekly_grant(team=week_won_by_alice, week=WEEK)
            assert not Notification.objects.filter(kind="award").exists()  # not before the commit
        award.refresh_from_db()
        assert (award.kind, award.period, award.period_start, award.period_end) == (
            AwardKind.WEEKLY,
            WEEK,
            MONDAY,
            SUNDAY,
        )
        assert (award.winner, award.score, award.runner_up, award.margin) == (
            agent,
            Decimal("100.0000"),
            second_agent,
            Decimal("100.0000"),
        )
        assert award.breakdown["winner_id"] == agent.pk and award.granted_by is None
        audit = AwardAudit.objects.get(award=award)
        assert (audit.action, audit.actor, audit.after["winner_id"], audit.after["score"]) == (
            "granted",
            None,
            agent.pk,
            "100.0000",
        )
        assert award.announced_at is not None
        assert set(Notification.objects.filter(kind="award").values_list("recipient__username", flat=True)) == {
            "alice",
            "bob",
            "sue",
        }

    def test_nothing_is_announced_when_the_grant_rolls_back(
        self, week_won_by_alice, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            award_weekly_grant(team=week_won_by_alice, week=WEEK)
        assert len(callbacks) == 1  # registered, run only if the transaction commits
        assert not Notification.objects.exists()

    def test_running_again_returns_the_same_award_unchanged(self, week_won_by_alice, agent, second_agent):
        first = award_weekly_grant(team=week_won_by_alice, week=WEEK)
        worked(week_won_by_alice, second_agent, day=MONDAY + dt.timedelta(days=2), conversations=50, csat=5.0)
        again = award_weekly_grant(team=week_won_by_alice, week=WEEK)
        assert again.pk == first.pk and again.winner == agent and again.breakdown == first.breakdown
        assert Award.objects.count() == 1 and AwardAudit.objects.count() == 1

    def test_replace_recomputes_and_keeps_the_old_numbers_in_the_audit(
        self, week_won_by_alice, agent, second_agent, supervisor, django_capture_on_commit_callbacks
    ):
        first = award_weekly_grant(team=week_won_by_alice, week=WEEK)
        old_breakdown = first.breakdown
        worked(week_won_by_alice, second_agent, day=MONDAY + dt.timedelta(days=2), conversations=50, csat=5.0)
        with django_capture_on_commit_callbacks(execute=True):
            replaced = award_weekly_grant(team=week_won_by_alice, week=WEEK, replace=True, actor=supervisor)
        assert replaced.pk == first.pk and replaced.winner == second_agent and replaced.runner_up == agent
        audit = AwardAudit.objects.get(award=first, action="replaced")
        assert audit.actor == supervisor
        assert audit.before["winner_id"] == agent.pk and audit.before["breakdown"] == old_breakdown
        assert audit.after["winner_id"] == second_agent.pk and "breakdown" not in audit.after
        replaced.refresh_from_db()
        assert Award.objects.count() == 1 and replaced.announced_at is not None

    def test_a_team_with_no_eligible_agent_gets_an_award_without_winner(self, team, agent):
        simple_weights(team)
        worked(team, agent, conversations=3, csat=5.0)
        award = award_weekly_grant(team=team, week=WEEK)
        assert (award.winner, award.score, award.runner_up, award.margin) == (None, None, None, None)
        assert award.breakdown["no_winner_reason"] == computation.NO_ELIGIBLE_AGENT
        assert len(award.breakdown["candidates"]) == 1

    @pytest.mark.parametrize("week", ["2026-W54", "2026-47", "2026-w47", "", "W47"])
    def test_a_bad_week_is_refused(self, team, week):
        with pytest.raises(ValidationError) as error:
            award_weekly_grant(team=team, week=week)
        assert "ISO week" in error.value.message_dict["week"][0]

    def test_a_week_not_over_in_the_teams_time_zone_is_refused(self, team):
        # Sunday 20:00 UTC is already Monday 04:00 in Shanghai: the week is over there.
        assert award_weekly_grant(team=team, week=WEEK, now=dt.datetime(2026, 11, 22, 20, tzinfo=dt.UTC))
        west = TeamFactory(timezone="America/Los_Angeles")
        with pytest.raises(ValidationError) as error:
            award_weekly_grant(team=west, week=WEEK, now=dt.datetime(2026, 11, 22, 20, tzinfo=dt.UTC))
        assert "has not ended yet" in error.value.message_dict["week"][0]

    def test_only_the_teams_supervisors_grant_by_hand(self, week_won_by_alice, agent, outsider, manager):
        for person in (agent, outsider):
            with pytest.raises(PermissionDenied):
                award_weekly_grant(team=week_won_by_alice, week=WEEK, actor=person)
        assert not Award.objects.exists()
        assert award_weekly_grant(team=week_won_by_alice, week=WEEK, actor=manager).granted_by == manager

    def test_a_fixed_number_of_queries_whatever_the_team_size(self, team, django_assert_num_queries):
        simple_weights(team)
        counts = []
        for size, week in [(3, WEEK), (40, "2026-W46")]:
            for n in range(size):
                person = member(team, Role.AGENT, username=f"{week}-{n}")
                worked(team, person, day=MONDAY - dt.timedelta(days=7) if week != WEEK else MONDAY, csat=4)
            with django_assert_num_queries(13) as captured:  # 12, and the audit log's entry
                award_weekly_grant(team=team, week=week)
            counts.append(len(captured))
        assert counts[0] == counts[1]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent transactions (CI sets DATABASE_URL)"
)
def test_concurrent_grants_store_one_award(transactional_db, team, agent, second_agent):
    simple_weights(team)
    worked(team, agent, conversations=40, csat=5.0)
    worked(team, second_agent, conversations=30, csat=4.0)
    barrier = threading.Barrier(6)
    results, errors = [], []

    def grant():
        try:
            barrier.wait()
            results.append(award_weekly_grant(team=team, week=WEEK).pk)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=grant) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    award = Award.objects.get()
    assert results == [award.pk] * 6 and award.winner == agent
    assert AwardAudit.objects.filter(action="granted").count() == 1


class TestWeeklyRun:
    # Monday 23 November 2026, 02:30 in Shanghai (18:30 UTC on Sunday): week 47 is due there.
    DUE_IN_SHANGHAI = dt.datetime(2026, 11, 22, 18, 30, tzinfo=dt.UTC)

    def test_grants_each_team_with_agents_once(self, week_won_by_alice, agent, sibling_agent, other_team, outsider):
        assert awards_weekly_run(now=self.DUE_IN_SHANGHAI) == 2  # Pre-sales and After-sales; not Their Team
        assert set(Award.objects.values_list("team__name", "period")) == {
            ("Pre-sales", WEEK),
            ("After-sales", WEEK),
        }
        assert Award.objects.get(team=week_won_by_alice).winner == agent
        assert awards_weekly_run(now=self.DUE_IN_SHANGHAI + dt.timedelta(hours=1)) == 0
        assert Award.objects.count() == 2 and AwardAudit.objects.count() == 2

    def test_not_before_two_in_the_morning_local_time(self, week_won_by_alice):
        awards_weekly_run(now=self.DUE_IN_SHANGHAI - dt.timedelta(hours=1))  # 01:30 Monday in Shanghai
        assert not Award.objects.filter(period=WEEK).exists()
        assert Award.objects.get().period == "2026-W46"  # the week before, which was due and missing

    def test_each_team_in_its_own_time_zone(self, week_won_by_alice):
        west = TeamFactory(name="West", timezone="America/Los_Angeles")
        member(west, Role.AGENT, username="wendy")
        awards_weekly_run(now=self.DUE_IN_SHANGHAI)  # still Sunday 10:30 in Los Angeles
        assert not Award.objects.filter(team=west, period=WEEK).exists()
        awards_weekly_run(now=dt.datetime(2026, 11, 23, 10, 5, tzinfo=dt.UTC))  # Monday 02:05 there
        assert Award.objects.filter(team=west, period=WEEK).exists()

    def test_announces_an_award_whose_announcement_was_lost(self, week_won_by_alice, agent):
        award = award_weekly_grant(team=week_won_by_alice, week=WEEK)  # test transaction: on_commit never runs
        assert award.announced_at is None and not Notification.objects.exists()
        assert awards_weekly_run(now=self.DUE_IN_SHANGHAI) == 0
        award.refresh_from_db()
        assert award.announced_at is not None
        assert Notification.objects.filter(recipient=agent, kind="award").count() == 1

    def test_one_failing_team_does_not_stop_the_others(self, week_won_by_alice, sibling_agent, monkeypatch):
        real = computation.award_period_compute

        def broken_for_pre_sales(*, team, **kwargs):
            if team.name == "Pre-sales":
                raise RuntimeError("boom")
            return real(team=team, **kwargs)

        monkeypatch.setattr("recognition.awards.services.award_period_compute", broken_for_pre_sales)
        with pytest.raises(AwardsRunError):
            awards_weekly_run(now=self.DUE_IN_SHANGHAI)
        assert list(Award.objects.values_list("team__name", flat=True)) == ["After-sales"]

    def test_the_celery_tasks_call_the_services(self, week_won_by_alice, agent):
        assert tasks.awards_weekly_run_task.delay(self.DUE_IN_SHANGHAI.isoformat()).get() == 1
        award = Award.objects.get()
        assert tasks.award_weekly_grant_task.delay(week_won_by_alice.pk, WEEK).get() == award.pk


class TestMonthlyAndSpecial:
    def test_a_supervisor_grants_the_month(self, week_won_by_alice, agent, supervisor):
        award = award_monthly_grant(team=week_won_by_alice, month="2026-11", actor=supervisor, now=_december())
        assert (award.kind, award.period, award.period_start, award.period_end) == (
            AwardKind.MONTHLY,
            "2026-11",
            dt.date(2026, 11, 1),
            dt.date(2026, 11, 30),
        )
        assert award.winner == agent and award.granted_by == supervisor
        again = award_monthly_grant(team=week_won_by_alice, month="2026-11", actor=supervisor, now=_december())
        assert again.pk == award.pk and Award.objects.count() == 1
        assert AwardAudit.objects.get().actor == supervisor

    def test_month_errors_name_the_field(self, team, supervisor):
        for month in ["2026-13", "November", "2026-1"]:
            with pytest.raises(ValidationError) as error:
                award_monthly_grant(team=team, month=month, actor=supervisor)
            assert "month" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            award_monthly_grant(
                team=team, month="2026-11", actor=supervisor, now=dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
            )
        assert "has not ended yet" in error.value.message_dict["month"][0]

    def test_agents_and_outsiders_grant_nothing(self, week_won_by_alice, agent, qa_inspector, outsider):
        for person in (agent, qa_inspector, outsider):
            with pytest.raises(PermissionDenied):
                award_monthly_grant(team=week_won_by_alice, month="2026-11", actor=person, now=_december())
            with pytest.raises(PermissionDenied):
                award_special_grant(team=week_won_by_alice, winner=agent, citation="Great", actor=person)
        assert not Award.objects.exists() and not AwardAudit.objects.exists()

    def test_a_special_award_with_a_citation(self, team, second_agent, supervisor, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            award = award_special_grant(
                team=team, winner=second_agent, citation="  Stayed late for the 11.11 rush.  ", actor=supervisor
            )
        assert (award.kind, award.period, award.winner, award.citation, award.granted_by) == (
            AwardKind.SPECIAL,
            "",
            second_agent,
            "Stayed late for the 11.11 rush.",
            supervisor,
        )
        assert award.score is None and award.breakdown == {}
        assert AwardAudit.objects.get(award=award).after["citation"] == "Stayed late for the 11.11 rush."
        assert Notification.objects.filter(recipient=second_agent, kind="award").exists()
        # The same form sent twice grants once.
        again = award_special_grant(
            team=team, winner=second_agent, citation="Stayed late for the 11.11 rush.", actor=supervisor
        )
        assert again.pk == award.pk and Award.objects.count() == 1

    def test_special_award_errors_name_the_field(self, team, supervisor, agent, sibling_agent):
        with pytest.raises(ValidationError) as error:
            award_special_grant(team=team, winner=agent, citation="   ", actor=supervisor)
        assert "citation" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            award_special_grant(team=team, winner=agent, citation="x" * 2001, actor=supervisor)
        assert "citation" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            award_special_grant(team=team, winner=sibling_agent, citation="Helped us out", actor=supervisor)
        assert "winner" in error.value.message_dict
        agent.memberships.update(active=False)
        with pytest.raises(ValidationError):
            award_special_grant(team=team, winner=agent, citation="Left last week", actor=supervisor)
        assert not Award.objects.exists()


def _december() -> dt.datetime:
    return dt.datetime(2026, 12, 1, 1, tzinfo=SHANGHAI)


class TestCommand:
    def test_grants_then_keeps_then_replaces(self, week_won_by_alice, agent, second_agent, capsys):
        call_command("award_weekly", "--week", WEEK, "--team", str(week_won_by_alice.pk))
        assert "granted, " in capsys.readouterr().out
        worked(week_won_by_alice, second_agent, day=MONDAY + dt.timedelta(days=2), conversations=50, csat=5.0)
        call_command("award_weekly", "--week", WEEK, "--team", str(week_won_by_alice.pk))
        out = capsys.readouterr().out
        assert "kept the existing award" in out and "--replace" in out
        assert Award.objects.get().winner == agent
        call_command("award_weekly", "--week", WEEK, "--team", str(week_won_by_alice.pk), "--replace")
        assert "replaced (audit entry written)" in capsys.readouterr().out
        assert Award.objects.get().winner == second_agent
        assert list(AwardAudit.objects.order_by("id").values_list("action", flat=True)) == ["granted", "replaced"]

    def test_without_team_every_team_with_agents(self, week_won_by_alice, sibling_agent, outsider, capsys):
        call_command("award_weekly", "--week", WEEK)
        assert Award.objects.count() == 2
        assert "Pre-sales" in capsys.readouterr().out

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            (["--week", "2026-W60"], "ISO week"),
            (["--week", "47"], "ISO week"),
            (["--week", WEEK, "--team", "999999"], "no team has this id"),
            (["--week", "2099-W01"], "has not ended yet"),
        ],
    )
    def test_clear_errors(self, week_won_by_alice, arguments, message):
        with pytest.raises(CommandError, match=message):
            call_command("award_weekly", *arguments)
        assert not Award.objects.exists()
