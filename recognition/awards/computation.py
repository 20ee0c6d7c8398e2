"""The working of a best-agent award: every candidate's composite score, eligibility and rank over a period.

The scores are the KPI app's composite score (kpi.selectors.composite_scores), unchanged: the same
values, normalisation and weights, so the award page and the KPI pages never disagree. This module
adds the team's eligibility rules and a deterministic tie-break, and writes it all down in the
breakdown that Award.breakdown keeps (the JSON contract is in the recognition brief and below).

Set-based: five queries for a team whatever its size (the rules, the weights, the period's scores,
the period's counts and names, the upheld auto-fails).
"""

import datetime as dt
import math
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_noop

from kpi.definitions import DERIVATIONS, METRICS
from kpi.models import DailyAgentMetric
from kpi.selectors import AgentScore, composite_scores, score_weights
from qa_reviews.models import COUNTED_STATUSES, Review
from recognition.awards.periods import period_bounds
from recognition.models import AwardKind, AwardSettings
from teams.models import Team

FORMULA = "100 × Σ(weight × normalised) ÷ Σ weight; normalised = (value − worst) ÷ (best − worst) within the team"
TIE_BREAK = ["total (higher)", "conversations (more)", "qa_score_avg (higher)", "username (A→Z)"]

# Why nobody won; stored in English, marked for the catalogue so pages can show them translated.
NO_AGENT_WITH_METRICS = gettext_noop("No agent had metrics in the period.")
NO_ELIGIBLE_AGENT = gettext_noop("No agent met the eligibility rules.")

# Codes in a candidate's "ineligible" list.
MIN_CONVERSATIONS = "min_conversations"
MIN_QA_REVIEWS = "min_qa_reviews"
UPHELD_AUTO_FAIL = "upheld_auto_fail"


def award_rules(team: Team) -> AwardSettings:
    """The team's eligibility rules, or the defaults (an unsaved AwardSettings) when it has set none."""
    return AwardSettings.objects.filter(team_id=team.pk).first() or AwardSettings(team=team)


def award_period_compute(*, team: Team, kind: str, period_start: dt.date, period_end: dt.date) -> dict:
    """The breakdown of a weekly or monthly award over [period_start, period_end] (local dates, inclusive).

    Candidates are every agent with metrics in the period, ranked by total (higher), then conversations
    (more), QA score average (higher; none is lowest), then username (A→Z). The winner is the best
    eligible candidate, the runner-up the next eligible one; margin is the difference of their totals.
    """
    if kind not in (AwardKind.WEEKLY, AwardKind.MONTHLY):
        raise ValueError(f"Only weekly and monthly awards are computed, not {kind!r}.")
    rules = award_rules(team)
    scores = composite_scores(team_id=team.pk, date_from=period_start, date_to=period_end)
    counts = _period_counts(team, period_start, period_end)
    auto_failed = _upheld_auto_fail_agents(team, period_start, period_end) if rules.exclude_upheld_auto_fail else set()
    weights = _weights_used(team, scores)
    total_weight = float(sum(weights.values())) or 1.0

    candidates = [_candidate(score, counts[score.agent_id], rules, auto_failed, total_weight) for score in scores]
    candidates.sort(key=_tie_break_key)
    for rank, candidate in enumerate(candidates, start=1):
        candidate["rank"] = rank
    eligible = [candidate for candidate in candidates if candidate["eligible"]]
    winner = eligible[0] if eligible else None
    runner_up = eligible[1] if len(eligible) > 1 else None
    no_winner_reason = "" if winner else (NO_ELIGIBLE_AGENT if candidates else NO_AGENT_WITH_METRICS)
    return {
        "formula": FORMULA,
        "weights": {name: str(weight) for name, weight in weights.items()},
        "rules": {
            "min_conversations": rules.min_conversations,
            "min_qa_reviews": rules.min_qa_reviews,
            "exclude_upheld_auto_fail": rules.exclude_upheld_auto_fail,
        },
        "tie_break": TIE_BREAK,
        "candidates": candidates,
        "winner_id": winner["agent_id"] if winner else None,
        "runner_up_id": runner_up["agent_id"] if runner_up else None,
        "margin": round(winner["total"] - runner_up["total"], 4) if winner and runner_up else None,
        "no_winner_reason": no_winner_reason,
    }


def _period_counts(team: Team, period_start: dt.date, period_end: dt.date) -> dict[int, dict]:
    """Per agent: conversations, QA reviews, QA score average and display name over the period (one query)."""
    rows = (
        DailyAgentMetric.objects.filter(team_id=team.pk, date__gte=period_start, date__lte=period_end)
        .values("agent_id", "agent__username", "agent__display_name")
        .annotate(conversations=Sum("conversations"), qa_reviews=Sum("qa_reviews"), qa_score_sum=Sum("qa_score_sum"))
        .order_by()
    )
    return {
        row["agent_id"]: {
            "display_name": row["agent__display_name"] or row["agent__username"],
            "conversations": row["conversations"],
            "qa_reviews": row["qa_reviews"],
            "qa_score_avg": _rounded(DERIVATIONS["qa_score_avg"](row)),
        }
        for row in rows
    }


def _upheld_auto_fail_agents(team: Team, period_start: dt.date, period_end: dt.date) -> set[int]:
    """Agents with an auto-failed review of a conversation of the period that still stands.

    A review counts as in the QA score (submitted, acknowledged, disputed or resolved; never a blind
    calibration score). A dispute resolved with new points recomputes auto_failed, so a review it
    overturned no longer matches; one resolved by upholding the score still does. A dispute still open
    leaves the score standing until it is resolved (recompute the week with --replace afterwards).
    """
    start, end = period_bounds(period_start, period_end, team.timezone)
    return set(
        Review.objects.filter(
            conversation__team_id=team.pk,
            conversation__started_at__gte=start,
            conversation__started_at__lt=end,
            status__in=COUNTED_STATUSES,
            calibration__isnull=True,
            auto_failed=True,
        )
        .values_list("conversation__agent_id", flat=True)
        .distinct()
    )


def _weights_used(team: Team, scores: list[AgentScore]) -> dict[str, Decimal]:
    """The weights composite_scores applied (each score line carries one); asked for only when nobody scored."""
    if scores:
        return {line.metric: line.weight for line in scores[0].lines}
    return {name: weight for name, weight in score_weights(team.pk).items() if name in METRICS and weight > 0}


def _candidate(score: AgentScore, counts: dict, rules: AwardSettings, auto_failed: set, total_weight: float) -> dict:
    ineligible = []
    if counts["conversations"] < rules.min_conversations:
        ineligible.append(MIN_CONVERSATIONS)
    if counts["qa_reviews"] < rules.min_qa_reviews:
        ineligible.append(MIN_QA_REVIEWS)
    if score.agent_id in auto_failed:
        ineligible.append(UPHELD_AUTO_FAIL)
    return {
        "agent_id": score.agent_id,
        "username": score.username,
        "display_name": counts["display_name"],
        "rank": 0,
        "total": score.score,
        "eligible": not ineligible,
        "ineligible": ineligible,
        "conversations": counts["conversations"],
        "qa_reviews": counts["qa_reviews"],
        "qa_score_avg": counts["qa_score_avg"],
        "lines": [
            {
                "metric": line.metric,
                "value": _json_number(line.value),
                "normalised": line.normalised,
                "weight": str(line.weight),
                "contribution": round(100 * float(line.weight) * line.normalised / total_weight, 4),
            }
            for line in score.lines
        ],
    }


def _tie_break_key(candidate: dict) -> tuple:
    qa_score = candidate["qa_score_avg"]
    return (
        -candidate["total"],
        -candidate["conversations"],
        -qa_score if qa_score is not None else math.inf,
        candidate["username"],
    )


def _json_number(value):
    if value is None or isinstance(value, int | float):
        return value
    return float(value)  # Decimal amounts (sales)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
