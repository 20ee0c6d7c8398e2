"""This week's top of the leaderboard (recognition.leaderboard) and last week's best-agent award."""

import datetime as dt

from dashboard.team.numbers import plain
from dashboard.team.periods import week_key
from recognition.leaderboard import SCORE, WEEK, leaderboard
from recognition.models import Award, AwardKind
from teams.models import Team

LEADERBOARD_TOP = 5


def week_leaderboard(*, team: Team, day: dt.date, top: int = LEADERBOARD_TOP) -> dict:
    """The composite-score board of the week containing `day`: the rows ranked `top` or better (ties included)."""
    board = leaderboard(team=team, period=WEEK, key=week_key(day), metric=SCORE)
    return {
        "period": board.period.key,
        "date_from": board.period.start,
        "date_to": board.period.end,
        "rows": [
            {
                "rank": row.rank,
                "agent_id": row.agent_id,
                "username": row.username,
                "name": row.name,
                "score": plain(row.value),
                "change": row.change,
                "places": row.places,
            }
            for row in board.rows
            if row.rank is not None and row.rank <= top
        ],
    }


def last_week_award(*, team_id: int, day: dt.date) -> dict | None:
    """The weekly award of the week before the one containing `day`, or None while it is not granted."""
    award = (
        Award.objects.filter(team_id=team_id, kind=AwardKind.WEEKLY, period=week_key(day - dt.timedelta(days=7)))
        .values(
            "id",
            "period",
            "period_start",
            "period_end",
            "score",
            "winner_id",
            "winner__username",
            "winner__display_name",
        )
        .first()
    )
    if award is None:
        return None
    return {
        "id": award["id"],
        "period": award["period"],
        "date_from": award["period_start"],
        "date_to": award["period_end"],
        "winner_id": award["winner_id"],
        "winner": (award["winner__display_name"] or award["winner__username"]) if award["winner_id"] else "",
        "score": plain(award["score"]),
    }
