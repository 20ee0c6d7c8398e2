"""The award engine: the weekly best agent computed from the composite score, monthly and special awards.

- computation: award_period_compute, the breakdown (who ranked where, who was eligible, and why);
- services: award_weekly_grant, award_monthly_grant, award_special_grant, awards_weekly_run;
- periods: ISO weeks and months in a team's own calendar.
"""

from recognition.awards.computation import award_period_compute
from recognition.awards.services import (
    award_monthly_grant,
    award_special_grant,
    award_weekly_grant,
    awards_weekly_run,
)

__all__ = [
    "award_monthly_grant",
    "award_period_compute",
    "award_special_grant",
    "award_weekly_grant",
    "awards_weekly_run",
]
