"""Hand-made weeks for the award engine's tests: daily metric rows, weights and rules written directly."""

import datetime as dt
from decimal import Decimal

from kpi.models import DailyAgentMetric, ScoreWeight
from recognition.models import AwardSettings

WEEK = "2026-W47"  # Monday 16 to Sunday 22 November 2026
MONDAY = dt.date(2026, 11, 16)
SUNDAY = dt.date(2026, 11, 22)


def simple_weights(team, **weights) -> None:
    """Weights that make totals easy to check by hand (default: conversations and CSAT, equally)."""
    for metric, weight in (weights or {"conversations": 1, "csat_avg": 1}).items():
        ScoreWeight.objects.create(team=team, metric=metric, weight=Decimal(str(weight)))


def rules(team, **fields) -> AwardSettings:
    return AwardSettings.objects.update_or_create(team=team, defaults=fields)[0]


def worked(team, agent, *, day=MONDAY, conversations=30, csat=None, rated=10, qa_reviews=1, qa_average=80, **parts):
    """One day of an agent's metrics. `csat` is the mean rating over `rated` rated conversations."""
    fields = {
        "conversations": conversations,
        "resolved": parts.pop("resolved", conversations),
        "qa_reviews": qa_reviews,
        "qa_score_sum": Decimal(str(qa_average * qa_reviews)),
        **parts,
    }
    if csat is not None:
        fields.update(rated=rated, rating_sum=round(csat * rated), rated_good=rated)
    return DailyAgentMetric.objects.create(team=team, agent=agent, date=day, **fields)
