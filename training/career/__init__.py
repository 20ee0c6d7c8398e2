"""Career path: levels per team and position with what it takes to reach them, and each agent's progress.

- services.py: authors (training.access.can_author) create, change and delete levels.
- progress.py: career_path() (the levels that apply to a team) and career_progress() (every agent's current
  level and the criteria of the next one), set-based for a whole team.
"""

from training.career.progress import (
    KPI_WINDOW_DAYS,
    QA_WINDOW_DAYS,
    AgentCareerProgress,
    CriterionProgress,
    career_level_list,
    career_path,
    career_progress,
)
from training.career.services import career_level_create, career_level_delete, career_level_update

__all__ = [
    "KPI_WINDOW_DAYS",
    "QA_WINDOW_DAYS",
    "AgentCareerProgress",
    "CriterionProgress",
    "career_level_create",
    "career_level_delete",
    "career_level_list",
    "career_level_update",
    "career_path",
    "career_progress",
]
