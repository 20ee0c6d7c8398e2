"""How a review's total is computed from its criterion scores.

total = 100 x sum(weight x points / max_points) / sum(weight), over the criteria
that apply (a criterion answered "not applicable" leaves both sums). A scored 0 on
an auto-fail criterion makes the total 0. With nothing applicable the total is
empty. Totals are rounded half up to two decimals.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class ScoredCriterion:
    weight: Decimal
    max_points: int
    points: int | None  # None: not applicable
    auto_fail: bool = False


def review_total(scores: Iterable[ScoredCriterion]) -> tuple[Decimal | None, bool]:
    """(total 0-100 or None, auto_failed)."""
    applicable = [score for score in scores if score.points is not None]
    if any(score.auto_fail and score.points == 0 for score in applicable):
        return Decimal("0.00"), True
    weight_sum = sum((score.weight for score in applicable), Decimal(0))
    if not weight_sum:
        return None, False
    achieved = sum(
        (score.weight * Decimal(score.points) / Decimal(score.max_points) for score in applicable), Decimal(0)
    )
    return (100 * achieved / weight_sum).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), False
