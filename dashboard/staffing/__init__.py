"""Staffing advice: Erlang C (erlang.py) and agents needed beside agents scheduled per hour (advice.py)."""

from dashboard.staffing.advice import (
    DEFAULT_ANSWER_SECONDS,
    DEFAULT_CHATS_AT_ONCE,
    DEFAULT_SERVICE_LEVEL_PERCENT,
    DEFAULT_WEEKS,
    HourAdvice,
    StaffingTargets,
    TeamStaffing,
    local_today,
    sample_dates,
    staffing_advice,
    staffing_advice_for_teams,
)
from dashboard.staffing.erlang import (
    agents_needed,
    average_speed_of_answer,
    offered_load,
    probability_of_waiting,
    service_level,
)

__all__ = [
    "DEFAULT_ANSWER_SECONDS",
    "DEFAULT_CHATS_AT_ONCE",
    "DEFAULT_SERVICE_LEVEL_PERCENT",
    "DEFAULT_WEEKS",
    "HourAdvice",
    "StaffingTargets",
    "TeamStaffing",
    "agents_needed",
    "average_speed_of_answer",
    "local_today",
    "offered_load",
    "probability_of_waiting",
    "sample_dates",
    "service_level",
    "staffing_advice",
    "staffing_advice_for_teams",
]
