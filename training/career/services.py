"""Writes of the career path: authors (training.access.can_author) manage their teams' levels.

A level names its team, position and rank (unique together; 1 is the first level), and its criteria: courses
to complete (of the team or a department above it), a minimum QA score (0-100) and a minimum KPI attainment
(a percentage; above 100 asks to beat the targets). A criterion left empty does not apply.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from teams.models import Position, Team
from training.access import can_author
from training.models import CareerLevel, Course
from training.onboarding.selectors import team_and_ancestors

LEVEL_FIELDS = ("position", "rank", "name", "description", "required_courses", "min_qa_score", "min_kpi_attainment")
MAX_KPI_ATTAINMENT = Decimal(1000)


def _require_author(actor, team_id: int) -> None:
    if not can_author(actor, team_id):
        raise PermissionDenied(_("Only the team's supervisors and QA inspectors manage its career path."))


def _rank_taken(level: CareerLevel) -> ValidationError:
    other = CareerLevel.objects.filter(team_id=level.team_id, position=level.position, rank=level.rank).first()
    name = other.name if other is not None else ""
    return ValidationError(
        {"rank": _("This position already has a level %(rank)s: “%(name)s”.") % {"rank": level.rank, "name": name}}
    )


def _validate(level: CareerLevel, courses: list[Course] | None) -> None:
    errors = {}
    if level.position not in Position.values:
        errors["position"] = _("Choose the position this level belongs to.")
    if level.rank is None or level.rank < 1:
        errors["rank"] = _("Ranks start at 1.")
    if not (level.name or "").strip():
        errors["name"] = _("Give the level a name.")
    if level.min_qa_score is not None and not 0 <= level.min_qa_score <= 100:
        errors["min_qa_score"] = _("A QA score is between 0 and 100.")
    if level.min_kpi_attainment is not None and not 0 <= level.min_kpi_attainment <= MAX_KPI_ATTAINMENT:
        errors["min_kpi_attainment"] = _("An attainment is between 0 and 1000 %.")
    if courses:
        chain = set(team_and_ancestors(level.team_id))
        if any(course.team_id not in chain for course in courses):
            errors["required_courses"] = _("Choose courses of this team or a department above it.")
    if errors:
        raise ValidationError(errors)
    if (
        CareerLevel.objects.filter(team_id=level.team_id, position=level.position, rank=level.rank)
        .exclude(pk=level.pk)
        .exists()
    ):
        raise _rank_taken(level)


def _save(level: CareerLevel, courses: list[Course] | None) -> CareerLevel:
    try:
        with transaction.atomic():
            level.save()
    except IntegrityError as error:  # a concurrent request took the rank first
        raise _rank_taken(level) from error
    if courses is not None:
        level.required_courses.set(courses)
    return level


@transaction.atomic
def career_level_create(
    *,
    actor,
    team: Team,
    position: str,
    rank: int,
    name: str,
    description: str = "",
    required_courses: list[Course] | None = None,
    min_qa_score: Decimal | None = None,
    min_kpi_attainment: Decimal | None = None,
) -> CareerLevel:
    _require_author(actor, team.pk)
    level = CareerLevel(
        team=team,
        position=position,
        rank=rank,
        name=(name or "").strip(),
        description=description or "",
        min_qa_score=min_qa_score,
        min_kpi_attainment=min_kpi_attainment,
    )
    courses = list(required_courses or [])
    _validate(level, courses)
    return _save(level, courses)


@transaction.atomic
def career_level_update(*, level: CareerLevel, actor, **fields) -> CareerLevel:
    """Change the given fields (LEVEL_FIELDS); `required_courses` replaces the list. The team never changes."""
    _require_author(actor, level.team_id)
    unknown = sorted(set(fields) - set(LEVEL_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    level = CareerLevel.objects.select_for_update().get(pk=level.pk)
    courses = list(fields.pop("required_courses")) if "required_courses" in fields else None
    for name, value in fields.items():
        setattr(level, name, value.strip() if name == "name" and isinstance(value, str) else value)
    _validate(level, courses)
    return _save(level, courses)


@transaction.atomic
def career_level_delete(*, level: CareerLevel, actor) -> None:
    _require_author(actor, level.team_id)
    level.delete()
