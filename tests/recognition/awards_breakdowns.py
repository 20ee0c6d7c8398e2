"""Awards written directly with a breakdown in the brief's JSON contract, for the award pages', API's and webhook's
tests (they do not depend on the engine). The numbers are consistent: two metrics weighted 1 and 1, so each
contribution is 50 × normalised and the total is their sum."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape

from recognition.models import Award, AwardKind

RULES = {"min_conversations": 20, "min_qa_reviews": 1, "exclude_upheld_auto_fail": True}
TIE_BREAK = ["total (higher)", "conversations (more)", "qa_score_avg (higher)", "username (A→Z)"]
FORMULA = "100 × Σ(weight × normalised) ÷ Σ weight; normalised = (value − worst) ÷ (best − worst) within the team"


def candidate(user, *, conversations: int, csat: float | None, norm_conversations: float, norm_csat: float, **extra):
    lines = [
        {
            "metric": "conversations",
            "value": conversations,
            "normalised": norm_conversations,
            "weight": "1",
            "contribution": round(50 * norm_conversations, 4),
        },
        {
            "metric": "csat_avg",
            "value": csat,
            "normalised": norm_csat,
            "weight": "1",
            "contribution": round(50 * norm_csat, 4),
        },
    ]
    ineligible = list(extra.pop("ineligible", []))
    return {
        "agent_id": user.pk,
        "username": user.username,
        "display_name": str(user),
        "rank": 0,
        "total": round(sum(line["contribution"] for line in lines), 4),
        "eligible": not ineligible,
        "ineligible": ineligible,
        "conversations": conversations,
        "qa_reviews": extra.pop("qa_reviews", 2),
        "qa_score_avg": extra.pop("qa_score_avg", 85.5),
        "lines": lines,
    }


def award_with(team, candidates: list[dict], *, kind=AwardKind.WEEKLY, period="2026-W47", **fields) -> Award:
    """An award whose winner and runner-up are the first two eligible candidates (listed in rank order)."""
    for rank, row in enumerate(candidates, start=1):
        row["rank"] = rank
    eligible = [row for row in candidates if row["eligible"]]
    winner = eligible[0] if eligible else None
    runner_up = eligible[1] if len(eligible) > 1 else None
    margin = round(winner["total"] - runner_up["total"], 4) if winner and runner_up else None
    breakdown = {
        "formula": FORMULA,
        "weights": {"conversations": "1", "csat_avg": "1"},
        "rules": dict(RULES),
        "tie_break": TIE_BREAK,
        "candidates": candidates,
        "winner_id": winner["agent_id"] if winner else None,
        "runner_up_id": runner_up["agent_id"] if runner_up else None,
        "margin": margin,
        "no_winner_reason": "" if winner else "No agent met the eligibility rules.",
    }
    start = dt.date(2026, 11, 16) if kind == AwardKind.WEEKLY else dt.date(2026, 11, 1)
    end = dt.date(2026, 11, 22) if kind == AwardKind.WEEKLY else dt.date(2026, 11, 30)
    values = {
        "team": team,
        "kind": kind,
        "period": period,
        "period_start": start,
        "period_end": end,
        "winner_id": breakdown["winner_id"],
        "runner_up_id": breakdown["runner_up_id"],
        "score": Decimal(str(winner["total"])) if winner else None,
        "margin": Decimal(str(margin)) if margin is not None else None,
        "breakdown": breakdown,
        **fields,
    }
    return Award.objects.create(**values)


def simple_award(team, winner, runner_up=None, *, period="2026-W47", kind=AwardKind.WEEKLY) -> Award:
    rows = [candidate(winner, conversations=40, csat=4.8, norm_conversations=1.0, norm_csat=1.0)]
    if runner_up is not None:
        rows.append(candidate(runner_up, conversations=30, csat=4.0, norm_conversations=0.0, norm_csat=0.0))
    return award_with(team, rows, period=period, kind=kind)


def table_rows(html: str) -> dict[int, str]:
    """The candidates table of an award page: agent id -> the row's text (tags stripped, spaces collapsed)."""
    rows = {}
    for agent_id, body in re.findall(r'<tr data-agent="(\d+)"[^>]*>(.*?)</tr>', html, flags=re.S):
        text = re.sub(r"<[^>]+>", " ", body)
        rows[int(agent_id)] = re.sub(r"\s+", " ", unescape(text)).strip()
    return rows
