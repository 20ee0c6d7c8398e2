"""Small arithmetic shared by the dashboard's panels: parts summed over rows, targets over days, trends."""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from kpi.definitions import ADDITIVE_DECIMALS, PART_NAMES, Direction, derive
from kpi.selectors import attainment_percent

FLOAT_DIGITS = 4


def plain(value):
    """A figure as JSON carries it: Decimals become floats, floats are rounded; ints and None stay."""
    if isinstance(value, Decimal):
        return round(float(value), FLOAT_DIGITS)
    if isinstance(value, float):
        return round(value, FLOAT_DIGITS)
    return value


def summed_parts(rows: Iterable[Mapping]) -> dict | None:
    """The sums of the stored parts over some metric rows (a handful: the days of one span); None when none."""
    total: dict | None = None
    for row in rows:
        if total is None:
            total = {part: 0 for part in PART_NAMES}
        for part in PART_NAMES:
            total[part] += row[part] or 0
    return total


def figures_of(parts: Mapping | None) -> dict:
    """Every metric derived from summed parts; an empty dict when there were no rows."""
    return derive(parts) if parts is not None else {}


def span_target(metric: str, day_targets: Iterable) -> Decimal | None:
    """A span's target from its days' targets: amounts add up; levels (rates, averages) are the days' mean."""
    values = [value for value in day_targets if value is not None]
    if not values:
        return None
    total = sum(values, Decimal(0))
    return total if metric in ADDITIVE_DECIMALS else total / len(values)


def day_target(metric: str, total, rows: int) -> Decimal | None:
    """One day's target from the summed target rows: amounts as summed, levels as the rows' mean."""
    if not rows:
        return None
    return total if metric in ADDITIVE_DECIMALS else total / rows


def trend(actual, previous, direction: str) -> dict:
    """The change against the same span a week earlier, and whether it is better for this metric."""
    if actual is None or previous is None:
        return {"previous": plain(previous), "change_percent": None, "trend": None}
    change = float(actual) - float(previous)
    if change == 0:
        verdict = "same"
    else:
        verdict = "better" if (change > 0) == (direction == Direction.HIGHER_IS_BETTER) else "worse"
    percent = 100 * change / float(previous) if previous else None
    return {"previous": plain(previous), "change_percent": plain(percent), "trend": verdict}


def attainment(actual, target, direction: str, *, actual_targeted=None, target_days: int = 0) -> dict:
    """The figure against its target. The percentage compares like with like: `actual_targeted` is the figure
    over the `target_days` days that have a target (a day worked without one, or the days of a month before
    its targets were set, would otherwise count against a target they never had)."""
    return {
        "actual": plain(actual),
        "target": plain(target),
        "target_days": target_days,
        "actual_targeted": plain(actual_targeted),
        "percent": plain(attainment_percent(actual_targeted, target, direction)),
    }
