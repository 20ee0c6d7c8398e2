"""Onboarding checklists: templates per team and position, one checklist per new member, and step state.

- authoring.py: authors (training.access.can_author) build and change templates and their ordered steps.
- services.py: a checklist per matching template when someone becomes an active agent (receivers_onboarding
  calls onboarding_start_for_membership), by hand, supervisors' ticks, completion and its notifications.
- selectors.py: what a user sees, and each checklist's step state computed set-based for a list of them.
"""

from training.onboarding.authoring import (
    onboarding_template_create,
    onboarding_template_delete,
    onboarding_template_update,
)
from training.onboarding.selectors import (
    OnboardingState,
    StepState,
    onboarding_list,
    onboarding_states,
    onboarding_template_list,
    step_is_confirmable,
)
from training.onboarding.services import (
    onboarding_record_noticed_completions,
    onboarding_refresh,
    onboarding_refresh_for_article,
    onboarding_refresh_for_course,
    onboarding_start,
    onboarding_start_for_membership,
    onboarding_step_confirm,
    onboarding_step_unconfirm,
)

__all__ = [
    "OnboardingState",
    "StepState",
    "onboarding_list",
    "onboarding_record_noticed_completions",
    "onboarding_refresh",
    "onboarding_refresh_for_article",
    "onboarding_refresh_for_course",
    "onboarding_start",
    "onboarding_start_for_membership",
    "onboarding_states",
    "onboarding_step_confirm",
    "onboarding_step_unconfirm",
    "onboarding_template_create",
    "onboarding_template_delete",
    "onboarding_template_list",
    "onboarding_template_update",
    "step_is_confirmable",
]
