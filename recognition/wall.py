"""Reads for the team wall: the latest awards, this week's top of the board, kudos and good cases.

Each panel is one query (or a fixed few), whatever the team's size or history. The caller has already
checked that the viewer may open the team's wall (recognition.leaderboard.board_team).
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from recognition.leaderboard import SCORE, WEEK, Board, board_top, leaderboard, period_of, team_today
from recognition.models import Award, AwardKind, GoodCase, Kudos
from teams import policy
from teams.models import Team
from training.models import ArticleStatus

KUDOS_DAYS = 14
KUDOS_SHOWN = 30
AWARDS_SHOWN = 5
GOOD_CASES_SHOWN = 8
WALL_TOP = 5


def wall_weekly_award(*, team: Team) -> Award | None:
    """The team's latest best-agent-of-the-week award (normally last week's)."""
    awards = Award.objects.filter(team=team, kind=AwardKind.WEEKLY).select_related("winner", "runner_up")
    return awards.order_by("-period_end", "-id").first()


def wall_recent_awards(*, team: Team, limit: int = AWARDS_SHOWN) -> list[Award]:
    """The latest monthly and special awards."""
    awards = Award.objects.filter(team=team, kind__in=[AwardKind.MONTHLY, AwardKind.SPECIAL])
    return list(awards.select_related("winner").order_by("-period_end", "-id")[:limit])


def wall_kudos(*, team: Team, since: dt.datetime, limit: int = KUDOS_SHOWN) -> list[Kudos]:
    kudos = Kudos.objects.filter(team=team, created_at__gte=since).select_related("giver", "receiver")
    return list(kudos.order_by("-created_at", "-id")[:limit])


def wall_kudos_counts(*, team: Team, since: dt.datetime) -> list[dict]:
    """Kudos received per person since `since`, most first: {receiver_id, username, display_name, received}."""
    counted: QuerySet = (
        Kudos.objects.filter(team=team, created_at__gte=since)
        .values("receiver_id", "receiver__username", "receiver__display_name")
        .annotate(received=Count("id"))
        .order_by("-received", "receiver__username")
    )
    return [
        {
            "receiver_id": row["receiver_id"],
            "name": row["receiver__display_name"] or row["receiver__username"],
            "received": row["received"],
        }
        for row in counted
    ]


def wall_good_cases(*, team: Team, user, limit: int = GOOD_CASES_SHOWN) -> list[GoodCase]:
    """The latest good cases; each says whether the viewer may open its conversation (`may_open`)."""
    cases = GoodCase.objects.filter(team=team).select_related("conversation__agent", "marked_by", "article")
    cases = list(cases.order_by("-created_at", "-id")[:limit])
    supervises = policy.can_supervise_team(user, team.pk)
    for case in cases:
        case.may_open = supervises or case.conversation.agent_id == user.pk
        case.may_read_article = case.article_id is not None and (
            supervises or case.article.status == ArticleStatus.PUBLISHED
        )
    return cases


def local_week_start(team: Team, now: dt.datetime | None = None) -> dt.datetime:
    """Monday 00:00 of the team's current local week, as an aware datetime."""
    monday = period_of(WEEK, team_today(team, now)).start
    return dt.datetime.combine(monday, dt.time.min, tzinfo=zoneinfo.ZoneInfo(team.timezone))


@dataclass
class TeamWall:
    team: Team
    weekly_award: Award | None
    recent_awards: list[Award]
    board: Board
    kudos: list[Kudos]
    kudos_counts: list[dict]
    good_cases: list[GoodCase]


def team_wall(*, team: Team, user, now: dt.datetime | None = None) -> TeamWall:
    now = now or timezone.now()
    board = leaderboard(team=team, period=WEEK, metric=SCORE, now=now)
    return TeamWall(
        team=team,
        weekly_award=wall_weekly_award(team=team),
        recent_awards=wall_recent_awards(team=team),
        board=board_top(board, user=user, top=WALL_TOP),
        kudos=wall_kudos(team=team, since=now - dt.timedelta(days=KUDOS_DAYS)),
        kudos_counts=wall_kudos_counts(team=team, since=local_week_start(team, now)),
        good_cases=wall_good_cases(team=team, user=user),
    )
