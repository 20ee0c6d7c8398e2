"""Onboarding pages: my checklists and the supervisor's team overview, one checklist with its steps, and the
template editor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.service_errors import add_errors_to_form, flash_errors
from teams import policy
from training import onboarding
from training.models import OnboardingStep
from training.onboarding.forms import (
    OnboardingStartForm,
    OnboardingStepFormSet,
    OnboardingTemplateForm,
    steps_from,
    steps_initial,
)

PAGE_SIZE = 30


@login_required
@require_http_methods(["GET", "POST"])
def onboarding_list(request):
    """The member's own checklists; for supervisors, every checklist of their teams and starting one by hand."""
    supervised = policy.team_access(request.user).supervised
    start_form = OnboardingStartForm(request.POST or None, user=request.user) if supervised else None
    if request.method == "POST":
        if start_form is None:
            raise PermissionDenied
        if start_form.is_valid():
            try:
                checklist, created = onboarding.onboarding_start(actor=request.user, **start_form.cleaned_data)
            except ValidationError as error:
                add_errors_to_form(start_form, error)
            else:
                if created:
                    messages.success(request, _("Checklist started: the member has been told."))
                else:
                    messages.info(request, _("This member already has this checklist."))
                return redirect("training-onboarding-detail", onboarding_id=checklist.pk)
    visible = onboarding.onboarding_list(user=request.user)
    mine = list(visible.filter(user=request.user))
    team_checklists = None
    state_filter = request.GET.get("state", "open")
    if supervised:
        found = visible.filter(team_id__in=supervised).exclude(user=request.user)
        if state_filter == "open":
            found = found.filter(completed_at__isnull=True)
        elif state_filter == "complete":
            found = found.filter(completed_at__isnull=False)
        team_checklists = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    states = onboarding.onboarding_states([*mine, *(team_checklists or [])])
    onboarding.onboarding_record_noticed_completions(states=states.values())
    context = {
        "mine": [states[checklist.pk] for checklist in mine],
        "team_page": team_checklists,
        "team_states": [states[checklist.pk] for checklist in team_checklists] if team_checklists else [],
        "state_filter": state_filter,
        "start_form": start_form,
        "can_author": bool(supervised),
    }
    return render(request, "training/onboarding_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def onboarding_detail(request, onboarding_id: int):
    checklist = get_object_or_404(onboarding.onboarding_list(user=request.user), pk=onboarding_id)
    can_tick = policy.can_supervise_team(request.user, checklist.team_id) and checklist.user_id != request.user.pk
    if request.method == "POST":
        if not can_tick:
            raise PermissionDenied
        step = get_object_or_404(OnboardingStep, pk=request.POST.get("step") or 0, template_id=checklist.template_id)
        intent = request.POST.get("intent")
        try:
            if intent == "confirm":
                checklist = onboarding.onboarding_step_confirm(onboarding=checklist, step=step, actor=request.user)
                messages.success(
                    request,
                    _("Checklist complete.")
                    if checklist.completed_at
                    else _("Step “%(title)s” ticked.") % {"title": step.title},
                )
            elif intent == "unconfirm":
                onboarding.onboarding_step_unconfirm(onboarding=checklist, step=step, actor=request.user)
                messages.success(request, _("Tick taken back."))
            else:
                raise Http404
        except ValidationError as error:
            flash_errors(request, error)
        return redirect("training-onboarding-detail", onboarding_id=checklist.pk)
    state = onboarding.onboarding_states([checklist])[checklist.pk]
    onboarding.onboarding_record_noticed_completions(states=[state])
    context = {
        "checklist": checklist,
        "state": state,
        "can_tick": can_tick,
        "is_mine": checklist.user_id == request.user.pk,
    }
    return render(request, "training/onboarding_detail.html", context)


@login_required
@require_safe
def template_list(request):
    if not policy.team_access(request.user).supervised:
        raise PermissionDenied
    templates = onboarding.onboarding_template_list(user=request.user)
    return render(request, "training/onboarding_templates.html", {"templates": templates})


def _edit(request, *, template=None):
    """One view for new and existing templates; the service checks the steps."""
    if request.method == "POST" and request.POST.get("intent") == "delete" and template is not None:
        try:
            onboarding.onboarding_template_delete(template=template, actor=request.user)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect("training-onboarding-template-edit", template_id=template.pk)
        messages.success(request, _("Checklist template deleted."))
        return redirect("training-onboarding-templates")
    if request.method == "POST":
        form = OnboardingTemplateForm(request.POST, user=request.user)
        formset = OnboardingStepFormSet(request.POST, form_kwargs={"user": request.user})
        if template is not None:
            form.fields["team"].disabled = True
            form.fields["team"].initial = template.team_id
        if form.is_valid() and formset.is_valid():
            header = {name: form.cleaned_data[name] for name in ("name", "position", "is_active")}
            try:
                if template is None:
                    saved = onboarding.onboarding_template_create(
                        actor=request.user, team=form.cleaned_data["team"], steps=steps_from(formset), **header
                    )
                else:
                    saved = onboarding.onboarding_template_update(
                        template=template, actor=request.user, steps=steps_from(formset), **header
                    )
            except ValidationError as error:
                _show_errors(form, formset, error)
            else:
                messages.success(request, _("Checklist template saved."))
                return redirect("training-onboarding-template-edit", template_id=saved.pk)
    elif template is None:
        form = OnboardingTemplateForm(user=request.user)
        formset = OnboardingStepFormSet(initial=[{"kind": "read_article"}], form_kwargs={"user": request.user})
    else:
        initial = {"name": template.name, "team": template.team_id, "position": template.position}
        form = OnboardingTemplateForm(initial={**initial, "is_active": template.is_active}, user=request.user)
        form.fields["team"].disabled = True
        formset = OnboardingStepFormSet(initial=steps_initial(template), form_kwargs={"user": request.user})
    context = {
        "form": form,
        "formset": formset,
        "template": template,
        "started": template.onboardings.count() if template is not None else 0,
    }
    return render(request, "training/onboarding_template_form.html", context)


def _show_errors(form, formset, error: ValidationError) -> None:
    """Errors named "steps[2].article" land on that row's field; the others on the header form."""
    rows = [row for row in formset.forms if row.cleaned_data and not row.cleaned_data.get("DELETE")]
    header = {}
    for field, field_messages in error.message_dict.items():
        if field.startswith("steps[") and "]." in field:
            index, name = field[len("steps[") :].split("].", 1)
            if index.isdigit() and int(index) < len(rows):
                row = rows[int(index)]
                for message in field_messages:
                    row.add_error(name if name in row.fields else None, message)
                continue
        header[field] = field_messages
    if header:
        add_errors_to_form(form, ValidationError(header))


@login_required
@require_http_methods(["GET", "POST"])
def template_create(request):
    if not policy.team_access(request.user).supervised:
        raise PermissionDenied
    return _edit(request)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, template_id: int):
    template = get_object_or_404(onboarding.onboarding_template_list(user=request.user), pk=template_id)
    return _edit(request, template=template)
