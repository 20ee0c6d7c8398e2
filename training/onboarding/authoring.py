"""Authors build onboarding checklist templates: a name, a team, a position (empty: every position) and
ordered steps.

A step is {"kind", "title", "article", "course"} and, when it changes an existing step, its "id". Reading
steps name an article and course steps a course of the template's team or a department above it (what
the team's members can open); the other kinds name neither. An empty title takes the article's or the
course's. Errors name the step: {"steps[2].article": [...]}.

Changing the steps of a template changes every checklist made from it that is still open: steps keep their
identity (and their ticks) by id, removed steps disappear, and a checklist whose remaining steps are all done
completes.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teams.models import Position, Team
from training.access import can_author
from training.models import ArticleStatus, Onboarding, OnboardingStep, OnboardingStepDone, OnboardingTemplate, StepKind
from training.onboarding.selectors import team_and_ancestors
from training.onboarding.services import onboarding_refresh

STEP_FIELDS = ("id", "kind", "title", "article", "course")


def _require_author(actor, team_id: int) -> None:
    if not can_author(actor, team_id):
        raise PermissionDenied(_("Only the team's supervisors and QA inspectors build its onboarding checklists."))


def _validate_header(*, name: str, position: str) -> dict:
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Give the checklist a name.")
    if position not in ("", *Position.values):
        errors["position"] = _("Choose a position, or none for every position.")
    return errors


def _step_rows(template: OnboardingTemplate, steps: list[dict]) -> tuple[list[OnboardingStep], set[int]]:
    """The steps in the given order (unsaved changes) and the ids of existing steps whose kind changes;
    raises one ValidationError naming every bad field."""
    if not steps:
        raise ValidationError({"steps": _("A checklist needs at least one step.")})
    chain = set(team_and_ancestors(template.team_id))
    existing = {step.pk: step for step in template.steps.all()} if template.pk else {}
    errors: dict[str, str] = {}
    rows = []
    seen_ids: set[int] = set()
    changed_kind: set[int] = set()
    for index, spec in enumerate(steps):
        where = f"steps[{index}]"
        unknown = sorted(set(spec) - set(STEP_FIELDS))
        for name in unknown:
            errors[f"{where}.{name}"] = _("This field cannot be set here.")
        step_id = spec.get("id")
        if step_id is not None:
            if step_id not in existing or step_id in seen_ids:
                errors[f"{where}.id"] = _("This step is not on this checklist.")
                continue
            seen_ids.add(step_id)
            row = existing[step_id]
        else:
            row = OnboardingStep(template=template)
        kind, article, course = spec.get("kind"), spec.get("article"), spec.get("course")
        title = (spec.get("title") or "").strip()
        if kind not in StepKind.values:
            errors[f"{where}.kind"] = _("Choose what the step is.")
            continue
        if kind == StepKind.READ_ARTICLE:
            if article is None:
                errors[f"{where}.article"] = _("Choose the article to read.")
            elif article.team_id not in chain:
                errors[f"{where}.article"] = _("Choose an article of this team or a department above it.")
            elif article.status == ArticleStatus.ARCHIVED:
                errors[f"{where}.article"] = _("This article is archived.")
            title = title or (article.title if article is not None else "")
        elif article is not None:
            errors[f"{where}.article"] = _("Only a reading step names an article.")
        if kind == StepKind.PASS_COURSE:
            if course is None:
                errors[f"{where}.course"] = _("Choose the course to complete.")
            elif course.team_id not in chain:
                errors[f"{where}.course"] = _("Choose a course of this team or a department above it.")
            title = title or (course.title if course is not None else "")
        elif course is not None:
            errors[f"{where}.course"] = _("Only a course step names a course.")
        if not title and f"{where}.article" not in errors and f"{where}.course" not in errors:
            errors[f"{where}.title"] = _("Say what the new member does in this step.")
        max_title = OnboardingStep._meta.get_field("title").max_length
        if len(title) > max_title:
            errors[f"{where}.title"] = _("At most %(count)s characters.") % {"count": max_title}
        if row.pk is not None and row.kind != kind:
            changed_kind.add(row.pk)  # its old ticks no longer mean anything
        row.kind, row.title, row.position = kind, title, index
        row.article = article if kind == StepKind.READ_ARTICLE else None
        row.course = course if kind == StepKind.PASS_COURSE else None
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    return rows, changed_kind


def _save_steps(template: OnboardingTemplate, rows: list[OnboardingStep], changed_kind: set[int]) -> None:
    kept = [row.pk for row in rows if row.pk is not None]
    template.steps.exclude(pk__in=kept).delete()
    if changed_kind:
        OnboardingStepDone.objects.filter(step_id__in=changed_kind).delete()
    existing = [row for row in rows if row.pk is not None]
    if existing:
        OnboardingStep.objects.bulk_update(existing, ["kind", "title", "position", "article", "course"])
    OnboardingStep.objects.bulk_create([row for row in rows if row.pk is None])


@transaction.atomic
def onboarding_template_create(
    *, actor, team: Team, name: str, steps: list[dict], position: str = "", is_active: bool = True
) -> OnboardingTemplate:
    _require_author(actor, team.pk)
    template = OnboardingTemplate(team=team, name=(name or "").strip(), position=position or "", is_active=is_active)
    errors = _validate_header(name=name, position=template.position)
    rows, changed_kind = [], set()
    try:
        rows, changed_kind = _step_rows(template, steps)
    except ValidationError as error:
        errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    template.save()
    for row in rows:
        row.template = template
    _save_steps(template, rows, changed_kind)
    return template


@transaction.atomic
def onboarding_template_update(
    *,
    template: OnboardingTemplate,
    actor,
    name: str | None = None,
    position: str | None = None,
    is_active: bool | None = None,
    steps: list[dict] | None = None,
) -> OnboardingTemplate:
    """Change what is given (None: unchanged); `steps` is the full new list. The team never changes."""
    _require_author(actor, template.team_id)
    template = OnboardingTemplate.objects.select_for_update().get(pk=template.pk)
    if name is not None:
        template.name = name.strip()
    if position is not None:
        template.position = position
    if is_active is not None:
        template.is_active = is_active
    errors = _validate_header(name=template.name, position=template.position)
    rows, changed_kind = None, set()
    if steps is not None:
        try:
            rows, changed_kind = _step_rows(template, steps)
        except ValidationError as error:
            errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    template.save()
    if rows is not None:
        _save_steps(template, rows, changed_kind)
        onboarding_refresh(onboardings=Onboarding.objects.filter(template=template, completed_at__isnull=True))
    return template


@transaction.atomic
def onboarding_template_delete(*, template: OnboardingTemplate, actor) -> None:
    """Only a template nobody has started goes; otherwise deactivate it (checklists keep their steps)."""
    _require_author(actor, template.team_id)
    if Onboarding.objects.filter(template=template).exists():
        raise ValidationError(
            {"template": _("People have this checklist: deactivate the template instead of deleting it.")}
        )
    template.delete()
