"""Writes of courses: authoring with ordered materials, publishing, and the QA criteria a course trains.

A course belongs to a team; the team's authors (training.access.can_author) write it. Materials are saved
as an ordered list: an item with an `id` keeps that material (and everyone's progress on it), an item
without one is new, and a material left out is removed.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from qa_reviews.models import Criterion
from teams import policy
from teams.models import Position, Team
from training import access
from training.models import Assignment, Course, Material, MaterialKind, MaterialProgress, Quiz
from training.progress import assignment_refresh

ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
COURSE_FIELDS = ("title", "description", "audience_positions", "estimated_minutes")
MATERIAL_FIELDS = ("kind", "title", "body", "video_url", "estimated_minutes")


def _require_author(actor, team_id: int) -> None:
    if not access.can_author(actor, team_id):
        raise PermissionDenied(_("Only the team's supervisors, QA inspectors and managers write its courses."))


def _clean_positions(positions: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(positions or ()))
    unknown = [position for position in chosen if position not in Position.values]
    if unknown:
        raise ValidationError({"audience_positions": _("Unknown position: %(position)s.") % {"position": unknown[0]}})
    return sorted(chosen, key=Position.values.index)


def _clean_criteria(actor, criteria: Iterable) -> list[Criterion]:
    """QA criteria of scorecards the author's teams can read (their own, departments above, teams below)."""
    wanted = {getattr(criterion, "pk", criterion) for criterion in criteria}
    allowed = list(Criterion.objects.filter(pk__in=wanted, scorecard__team_id__in=policy.team_access(actor).readable))
    if len(allowed) != len(wanted):
        raise ValidationError({"qa_criteria": _("Choose criteria of scorecards your teams use.")})
    return allowed


def _material_rows(course: Course, materials: list[dict], existing: dict[int, Material]) -> list[Material]:
    """Build (unsaved) materials in the order given; errors name `materials[i].field`."""
    errors: dict[str, list[str]] = {}
    rows = []
    for index, spec in enumerate(materials):
        key = f"materials[{index}]"
        material_id = spec.get("id")
        if material_id:
            material = existing.get(int(material_id))
            if material is None:
                errors[f"{key}.id"] = [_("This material is not part of the course.")]
                continue
        else:
            material = Material(course=course)
        for field in MATERIAL_FIELDS:
            if field in spec and spec[field] is not None:
                setattr(material, field, spec[field])
        material.title = (material.title or "").strip()
        material.position = index
        upload = spec.get("attachment")
        if upload:
            if upload.size > ATTACHMENT_MAX_BYTES:
                errors[f"{key}.attachment"] = [
                    _("An attachment may be at most %(megabytes)s MB.") % {"megabytes": ATTACHMENT_MAX_BYTES // 2**20}
                ]
            material.attachment = upload
        if material.kind == MaterialKind.TEXT and not material.body.strip():
            errors[f"{key}.body"] = [_("Write the text of this material.")]
        elif material.kind == MaterialKind.VIDEO and not material.video_url:
            errors[f"{key}.video_url"] = [_("Give the link to the recorded session.")]
        elif material.kind == MaterialKind.ATTACHMENT and not material.attachment:
            errors[f"{key}.attachment"] = [_("Upload the file.")]
        # Each kind keeps only its own content; a text body stays as notes under a video or a file.
        if material.kind != MaterialKind.VIDEO:
            material.video_url = ""
        if material.kind != MaterialKind.ATTACHMENT:
            material.attachment = ""
        try:
            material.full_clean(exclude=["course", "attachment"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(f"{key}.{field}", []).extend(messages)
        rows.append(material)
    if errors:
        raise ValidationError(errors)
    return rows


def _save_materials(course: Course, materials: list[dict]) -> list[Material]:
    existing = {material.pk: material for material in course.materials.all()} if course.pk else {}
    old_files = {material.pk: material.attachment.name for material in existing.values() if material.attachment}
    rows = _material_rows(course, materials, existing)
    kept = {material.pk for material in rows if material.pk}
    removed = [pk for pk in existing if pk not in kept]
    if removed:
        Material.objects.filter(pk__in=removed).delete()
    for material in rows:
        material.course = course
        material.save()
    # A file nobody links to any more leaves the storage once the change is committed.
    still_used = {material.attachment.name for material in rows if material.attachment}
    orphaned = [name for name in old_files.values() if name not in still_used]
    if orphaned:
        storage = Material._meta.get_field("attachment").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in orphaned])
    return rows


def _complete_what_is_now_complete(course: Course) -> None:
    """Removing a material can leave an open assignment with nothing left to do: complete it."""
    if Quiz.objects.filter(course=course).exists():
        return  # the quiz still has to be passed; passing it completes the assignment
    total = course.materials.count()
    done = (
        MaterialProgress.objects.filter(assignment=OuterRef("pk"))
        .order_by()
        .values("assignment")
        .annotate(n=Count("id"))
        .values("n")
    )
    candidates = Assignment.objects.filter(course=course, completed_at__isnull=True).annotate(
        done=Coalesce(Subquery(done), 0)
    )
    for assignment in candidates.filter(done__gte=total) if total else candidates.none():
        assignment_refresh(assignment)


@transaction.atomic
def course_create(
    *,
    team: Team,
    actor,
    title: str,
    description: str = "",
    audience_positions: Iterable[str] = (),
    estimated_minutes: int | None = None,
    qa_criteria: Iterable = (),
    materials: list[dict] = (),
) -> Course:
    """A draft course of `team` with its materials; publish it with course_set_published."""
    _require_author(actor, team.pk)
    course = Course(
        team=team,
        title=(title or "").strip(),
        description=description,
        audience_positions=_clean_positions(audience_positions),
        created_by=actor,
    )
    if estimated_minutes is not None:
        course.estimated_minutes = estimated_minutes
    course.full_clean(exclude=["team", "created_by"])
    criteria = _clean_criteria(actor, qa_criteria)
    course.save()
    rows = _save_materials(course, list(materials))
    if estimated_minutes is None and rows:
        course.estimated_minutes = sum(material.estimated_minutes for material in rows)
        course.save(update_fields=["estimated_minutes"])
    course.qa_criteria.set(criteria)
    return course


@transaction.atomic
def course_update(*, course: Course, actor, materials: list[dict] | None = None, qa_criteria=None, **fields) -> Course:
    """Change a course's fields (title, description, audience_positions, estimated_minutes), and, when given,
    its materials and QA criteria. A course stays in its team."""
    _require_author(actor, course.team_id)
    unknown = set(fields) - set(COURSE_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed.")})
    course = Course.objects.select_for_update().get(pk=course.pk)
    for field, value in fields.items():
        if field == "audience_positions":
            value = _clean_positions(value)
        elif field == "title":
            value = (value or "").strip()
        setattr(course, field, value)
    course.full_clean(exclude=["team", "created_by"])
    criteria = _clean_criteria(actor, qa_criteria) if qa_criteria is not None else None
    if materials is not None and course.is_published and not materials:
        raise ValidationError({"materials": _("A published course needs at least one material.")})
    course.save()
    if materials is not None:
        _save_materials(course, list(materials))
        _complete_what_is_now_complete(course)
    if criteria is not None:
        course.qa_criteria.set(criteria)
    return course


@transaction.atomic
def course_set_published(*, course: Course, actor, published: bool) -> Course:
    """Publish (everyone in the audience reads it, it can be assigned) or take back to draft."""
    _require_author(actor, course.team_id)
    course = Course.objects.select_for_update().get(pk=course.pk)
    if published and not course.materials.exists():
        raise ValidationError({"materials": _("Add at least one material before publishing.")})
    if course.is_published != published:
        course.is_published = published
        course.save(update_fields=["is_published", "updated_at"])
    return course
