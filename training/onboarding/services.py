"""Writes of onboarding: checklists for new members, supervisors' ticks, and completion.

A checklist (Onboarding) is one member's copy of a template, at most one per template and person
(a unique constraint), so starting again changes nothing. Completion is recorded once and never undone:
a step added to the template later does not reopen finished checklists.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from notifications.services import Outgoing, notifications_send
from teams import policy
from teams.models import Membership, Role, Team
from training.access import can_author
from training.models import Onboarding, OnboardingStep, OnboardingStepDone, OnboardingTemplate, StepKind
from training.onboarding.selectors import (
    OnboardingState,
    onboarding_states,
    step_is_confirmable,
    team_and_ancestors,
    team_tree,
)


def _templates_for(*, team_id: int, position: str) -> list[OnboardingTemplate]:
    """Active templates of the team or the departments above it, for this position or every position."""
    candidates = list(OnboardingTemplate.objects.filter(is_active=True, position__in=["", position]))
    if not candidates:  # the usual case costs one query
        return []
    chain = set(team_and_ancestors(team_id))
    return [template for template in candidates if template.team_id in chain]


def _create_checklists(*, user_id: int, team_id: int, templates: list[OnboardingTemplate]) -> list[Onboarding]:
    """The checklists of these templates the person did not have yet; tells them about each new one."""
    if not templates:
        return []
    template_ids = [template.pk for template in templates]
    existing = set(
        Onboarding.objects.filter(user_id=user_id, template_id__in=template_ids).values_list("template_id", flat=True)
    )
    missing = [template_id for template_id in template_ids if template_id not in existing]
    if not missing:
        return []
    Onboarding.objects.bulk_create(
        [Onboarding(template_id=template_id, user_id=user_id, team_id=team_id) for template_id in missing],
        ignore_conflicts=True,  # a concurrent start of the same checklist: theirs stands
    )
    created = list(
        Onboarding.objects.filter(user_id=user_id, template_id__in=missing).select_related("template", "user")
    )
    notifications_send(
        outgoing=[
            Outgoing(
                recipient_id=user_id,
                kind="training-onboarding-started",
                message=gettext_noop("Your onboarding checklist “%(name)s” is ready: open it to see your steps."),
                params={"name": onboarding.template.name},
                link=onboarding.get_absolute_url(),
                dedupe_key=f"training-onboarding-started:{onboarding.pk}",
            )
            for onboarding in created
        ]
    )
    onboarding_refresh(onboardings=created)  # someone who returns may have done some of it already
    return created


@transaction.atomic
def onboarding_start_for_membership(*, membership: Membership, new_position_only: bool = False) -> list[Onboarding]:
    """Give an active agent the checklist of every active template of their team (or a department above it)
    that matches their position; templates they already had are skipped. Returns the new checklists.

    Called (through training.receivers_onboarding) when a membership is created, reactivated or becomes an
    agent's; and, with `new_position_only`, when an agent moves to another position: then only the templates
    of that position apply (the every-position ones are for people new to the team).
    """
    if not membership.active or membership.role != Role.AGENT:
        return []
    templates = _templates_for(team_id=membership.team_id, position=membership.position)
    if new_position_only:
        templates = [template for template in templates if template.position]
    return _create_checklists(user_id=membership.user_id, team_id=membership.team_id, templates=templates)


@transaction.atomic
def onboarding_start(*, template: OnboardingTemplate, user, actor, team: Team | None = None) -> tuple[Onboarding, bool]:
    """Start a template's checklist by hand for an active member of `team` (or of the template's team or a
    team under it). Any role or position: the author chose it. Returns the checklist and whether it is new.
    """
    memberships = Membership.objects.filter(user_id=user.pk, active=True)
    if team is not None:
        memberships = memberships.filter(team=team)
    parent_of = team_tree()
    reached = [
        team_id
        for team_id in memberships.order_by("team_id").values_list("team_id", flat=True)
        if template.team_id in team_and_ancestors(team_id, parent_of=parent_of)
    ]
    if not reached:
        raise ValidationError(
            {"user": _("%(user)s is not an active member of a team this checklist is for.") % {"user": user}}
        )
    candidates = [team_id for team_id in reached if can_author(actor, team_id)]
    if not candidates:
        raise PermissionDenied(_("Only the team's supervisors and QA inspectors start onboarding checklists."))
    if not template.is_active:
        raise ValidationError({"template": _("This checklist template is inactive: activate it first.")})
    existing = Onboarding.objects.filter(template=template, user_id=user.pk).first()
    if existing is not None:
        return existing, False
    created = _create_checklists(user_id=user.pk, team_id=candidates[0], templates=[template])
    if created:
        return created[0], True
    return Onboarding.objects.get(template=template, user_id=user.pk), False


def _supervisors_of(team_ids: set[int]) -> dict[int, list[int]]:
    """Whom to tell about a team's finished checklist: its supervisors, or else the nearest managers above."""
    found: dict[int, list[int]] = defaultdict(list)
    rows = Membership.objects.filter(team_id__in=team_ids, active=True, role=Role.SUPERVISOR).values_list(
        "team_id", "user_id"
    )
    for team_id, user_id in rows:
        found[team_id].append(user_id)
    without = team_ids - set(found)
    if without:
        parent_of = team_tree()
        chains = {team_id: team_and_ancestors(team_id, parent_of=parent_of) for team_id in without}
        managers: dict[int, list[int]] = defaultdict(list)
        every_team = {team for chain in chains.values() for team in chain}
        rows = Membership.objects.filter(team_id__in=every_team, active=True, role=Role.MANAGER).values_list(
            "team_id", "user_id"
        )
        for team_id, user_id in rows:
            managers[team_id].append(user_id)
        for team_id, chain in chains.items():
            found[team_id] = next((managers[link] for link in chain if managers[link]), [])
    return found


@transaction.atomic
def onboarding_refresh(*, onboardings: Iterable[Onboarding]) -> list[Onboarding]:
    """Record the completion of every given open checklist whose steps are now all done and tell the
    member's supervisors. Safe to repeat: a checklist completes once. Returns the newly completed ones."""
    ids = [onboarding.pk for onboarding in onboardings]
    if not ids:
        return []
    open_rows = list(
        Onboarding.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, completed_at__isnull=True)
        .select_related("template", "user")
        .order_by("pk")
    )
    states = onboarding_states(open_rows)
    completed = [onboarding for onboarding in open_rows if states[onboarding.pk].all_done]
    if not completed:
        return []
    now = timezone.now()
    Onboarding.objects.filter(pk__in=[o.pk for o in completed]).update(completed_at=now, updated_at=now)
    supervisors = _supervisors_of({onboarding.team_id for onboarding in completed})
    outgoing = []
    for onboarding in completed:
        onboarding.completed_at = now
        for supervisor_id in supervisors[onboarding.team_id]:
            if supervisor_id == onboarding.user_id:
                continue
            outgoing.append(
                Outgoing(
                    recipient_id=supervisor_id,
                    kind="training-onboarding-complete",
                    message=gettext_noop("%(person)s finished the onboarding checklist “%(name)s”."),
                    params={"person": str(onboarding.user), "name": onboarding.template.name},
                    link=onboarding.get_absolute_url(),
                    dedupe_key=f"training-onboarding-complete:{onboarding.pk}",
                )
            )
    notifications_send(outgoing=outgoing)
    return completed


def onboarding_record_noticed_completions(*, states: Iterable[OnboardingState]) -> list[Onboarding]:
    """Record the completion of shown checklists whose steps are all done but which are still open: a safety
    net for a step done without a signal (an ArticleRead written with bulk_create sends no post_save).
    Costs nothing when there is none; completes (and notifies) at most once."""
    noticed = [state.onboarding for state in states if state.all_done and state.onboarding.completed_at is None]
    if not noticed:
        return []
    completed = onboarding_refresh(onboardings=noticed)
    by_pk = {onboarding.pk: onboarding for onboarding in completed}
    for onboarding in noticed:
        if onboarding.pk in by_pk:
            onboarding.completed_at = by_pk[onboarding.pk].completed_at
    return completed


def _open_checklists_with_step(*, user_id: int, **step_filter) -> list[Onboarding]:
    lookups = {f"template__steps__{name}": value for name, value in step_filter.items()}
    ids = set(
        Onboarding.objects.filter(user_id=user_id, completed_at__isnull=True, **lookups).values_list("pk", flat=True)
    )
    return [Onboarding(pk=pk) for pk in sorted(ids)]


def onboarding_refresh_for_article(*, article_id: int, user_id: int) -> list[Onboarding]:
    """The person opened an article for the first time: checklists with that reading step may be complete."""
    checklists = _open_checklists_with_step(user_id=user_id, kind=StepKind.READ_ARTICLE, article_id=article_id)
    return onboarding_refresh(onboardings=checklists) if checklists else []


def onboarding_refresh_for_course(*, course_id: int, user_id: int) -> list[Onboarding]:
    """The person completed a course assignment: checklists with that course step may be complete."""
    checklists = _open_checklists_with_step(user_id=user_id, kind=StepKind.PASS_COURSE, course_id=course_id)
    return onboarding_refresh(onboardings=checklists) if checklists else []


def _require_confirmer(*, onboarding: Onboarding, step: OnboardingStep, actor) -> None:
    if not policy.can_supervise_team(actor, onboarding.team_id):
        raise PermissionDenied(_("Only the member's supervisors tick onboarding steps."))
    if actor.pk == onboarding.user_id:
        raise PermissionDenied(_("Someone else confirms the steps of your own checklist."))
    if step.template_id != onboarding.template_id:
        raise ValidationError({"step": _("This step is not on this checklist.")})
    if not step_is_confirmable(step):
        message = (
            _("This step ticks itself when the member opens the article.")
            if step.kind == StepKind.READ_ARTICLE
            else _("This step ticks itself when the member completes the course.")
        )
        raise ValidationError({"step": message})


@transaction.atomic
def onboarding_step_confirm(*, onboarding: Onboarding, step: OnboardingStep, actor) -> Onboarding:
    """A supervisor confirms a shadow or other step; ticking it twice keeps the first confirmation."""
    _require_confirmer(onboarding=onboarding, step=step, actor=actor)
    onboarding = Onboarding.objects.select_for_update(of=("self",)).get(pk=onboarding.pk)
    OnboardingStepDone.objects.get_or_create(onboarding=onboarding, step=step, defaults={"confirmed_by": actor})
    onboarding_refresh(onboardings=[onboarding])
    onboarding.refresh_from_db(fields=["completed_at", "updated_at"])
    return onboarding


@transaction.atomic
def onboarding_step_unconfirm(*, onboarding: Onboarding, step: OnboardingStep, actor) -> Onboarding:
    """Take back a tick given by mistake, while the checklist is still open."""
    _require_confirmer(onboarding=onboarding, step=step, actor=actor)
    onboarding = Onboarding.objects.select_for_update(of=("self",)).get(pk=onboarding.pk)
    if onboarding.completed_at is not None:
        raise ValidationError({"step": _("This checklist is complete; its steps no longer change.")})
    OnboardingStepDone.objects.filter(onboarding=onboarding, step=step).delete()
    return onboarding
