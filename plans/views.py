"""Browser pages of the agent's day: "My day", a plan, the team's submission board, tasks."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.service_errors import add_errors_to_form, flash_errors
from plans import selectors, services
from plans.forms import ReviewForm, SummaryForm, TaskForm, TaskStatusForm
from plans.models import PlanItem, PlanStatus
from teams import policy
from teams.models import Membership, Role, Shift
from teams.selectors import team_list


@login_required
@require_safe
def my_day(request):
    day = selectors.today_of(user=request.user)
    context = {**day, "past": selectors.plan_list(user=request.user).filter(agent=request.user)[:14]}
    if day["plan"] is not None:
        context["summary_form"] = SummaryForm(instance=day["plan"])
    return render(request, "plans/my_day.html", context)


@login_required
def plan_detail(request, plan_id: int):
    plan = get_object_or_404(selectors.plan_list(user=request.user), pk=plan_id)
    can_review = policy.can_supervise_team(request.user, plan.team_id) and plan.agent_id != request.user.pk
    return render(
        request, "plans/plan_detail.html", {"plan": plan, "can_review": can_review, "review_form": ReviewForm()}
    )


@login_required
@require_POST
def plan_action(request, plan_id: int, action: str):
    plan = get_object_or_404(selectors.plan_list(user=request.user), pk=plan_id)
    try:
        if action == "save" or action == "submit":
            form = SummaryForm(request.POST, instance=plan)
            if not form.is_valid():
                for errors in form.errors.values():
                    for message in errors:
                        messages.error(request, message)
                return redirect("plans-my-day")
            services.plan_update(plan=plan, actor=request.user, data=form.cleaned_data)
            if action == "submit":
                services.plan_submit(plan=plan, actor=request.user)
                messages.success(request, _("Summary submitted."))
            else:
                messages.success(request, _("Saved."))
        elif action == "add-item":
            services.plan_item_add(
                plan=plan, actor=request.user, text=request.POST.get("text", ""), kind=request.POST.get("kind", "work")
            )
        elif action in ("review", "send-back"):
            form = ReviewForm(request.POST)
            form.is_valid()
            services.plan_review(
                plan=plan,
                reviewer=request.user,
                comment=form.cleaned_data.get("comment", ""),
                send_back=action == "send-back",
            )
            messages.success(request, _("Review saved."))
            return redirect("plans-board", team_id=plan.team_id)
        else:
            raise Http404
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(
        "plans-my-day" if plan.agent_id == request.user.pk else "plans-detail",
        **({} if plan.agent_id == request.user.pk else {"plan_id": plan.pk}),
    )


@login_required
@require_POST
def plan_item_toggle(request, item_id: int):
    item = get_object_or_404(PlanItem.objects.filter(plan__in=selectors.plan_list(user=request.user)), pk=item_id)
    try:
        item = services.plan_item_set_done(item=item, actor=request.user, done=not item.done)
    except ValidationError as error:
        flash_errors(request, error)
    if request.htmx:
        return render(request, "plans/_item.html", {"item": item, "editable": True})
    return redirect("plans-my-day")


@login_required
def board(request, team_id: int):
    team = get_object_or_404(team_list(user=request.user), pk=team_id)
    if not policy.can_supervise_team(request.user, team.pk):
        raise PermissionDenied
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    agents = (
        Membership.objects.filter(team=team, role=Role.AGENT, active=True)
        .select_related("user")
        .order_by("user__username")
    )
    scheduled = set(Shift.objects.filter(team=team, date=day).values_list("user_id", flat=True))
    plans = {plan.agent_id: plan for plan in selectors.plan_list(user=request.user).filter(team=team, date=day)}
    status_filter = request.GET.get("status", "")
    rows = []
    for membership in agents:
        plan = plans.get(membership.user_id)
        state = plan.status if plan else ("missing" if membership.user_id in scheduled else "off")
        if status_filter and state != status_filter:
            continue
        rows.append(
            {"agent": membership.user, "plan": plan, "state": state, "scheduled": membership.user_id in scheduled}
        )
    submitted = sum(1 for row in rows if row["state"] in (PlanStatus.SUBMITTED, PlanStatus.REVIEWED))
    context = {
        "team": team,
        "day": day,
        "rows": rows,
        "submitted": submitted,
        "status_filter": status_filter,
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1),
    }
    return render(request, "plans/board.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def task_new(request):
    if not policy.team_access(request.user).supervised:
        raise PermissionDenied
    form = TaskForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["assignees"] = list(data["assignees"])
        try:
            task = services.task_create(creator=request.user, **data)
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, _("Task given."))
            return redirect("task-detail", task_id=task.pk)
    return render(request, "plans/task_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def task_detail(request, task_id: int):
    task = get_object_or_404(selectors.task_list(user=request.user).prefetch_related("history"), pk=task_id)
    form = TaskStatusForm(request.POST or None, initial={"status": task.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.task_status_set(task=task, actor=request.user, status=form.cleaned_data["status"])
        except ValidationError as error:
            flash_errors(request, error)
        return redirect("task-detail", task_id=task.pk)
    overdue = task.status in ("open", "in_progress") and task.due_at < timezone.now()
    return render(request, "plans/task_detail.html", {"task": task, "form": form, "overdue": overdue})
