"""Services of the courses area: authoring, assigning and progress, periodic assessments (定期考核)."""

from training.courses.assessments import (
    assessment_create,
    assessment_delete,
    assessment_update,
    assessments_assign_due,
    period_of,
)
from training.courses.assigning import (
    assignments_create,
    assignments_notify_overdue,
    assignments_write,
    local_today,
    material_mark_done,
)
from training.courses.authoring import (
    ATTACHMENT_MAX_BYTES,
    course_create,
    course_set_published,
    course_update,
)

__all__ = [
    "ATTACHMENT_MAX_BYTES",
    "assessment_create",
    "assessment_delete",
    "assessment_update",
    "assessments_assign_due",
    "assignments_create",
    "assignments_notify_overdue",
    "assignments_write",
    "course_create",
    "course_set_published",
    "course_update",
    "local_today",
    "material_mark_done",
    "period_of",
]
