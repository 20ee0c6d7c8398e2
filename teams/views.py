"""Browser pages for teams: thin views over teams.selectors and teams.services."""

import zoneinfo
from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.service_errors import add_errors_to_form
from teams import policy, selectors, services
from teams.forms import MemberCreateForm, MembershipEditForm, ResponsibilityForm
from teams.models import Responsibility, Team

T = TypeVar("T")


def _readable_team_or_404(user, team_id: int) -> Team:
    return get_object_or_404(selectors.team_list(user=user), pk=team_id)


def _managed_responsibility_or_404(user, responsibility_id: int) -> Responsibility:
    responsibility = get_object_or_404(selectors.responsibility_list(user=user), pk=responsibility_id)
    if not policy.can_change(user, responsibility):
        raise PermissionDenied
    return responsibility


@login_required
def home(request):
    memberships = list(selectors.user_memberships(user=request.user))
    if len(memberships) == 1:
        return redirect("team-detail", team_id=memberships[0].team_id)
    return redirect("team-list")


@login_required
@require_safe
def team_list(request):
    teams = selectors.team_list(user=request.user)
    return render(request, "teams/team_list.html", {"teams": teams})


@login_required
@require_safe
def team_detail(request, team_id: int):
    team = _readable_team_or_404(request.user, team_id)
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(team.timezone))
    roster = selectors.team_roster(team=team, on_date=today)
    context = {
        "team": team,
        "today": today,
        "roster": roster,
        "sub_teams": selectors.team_list(user=request.user).filter(parent=team),
        "shops": selectors.team_shops(user=request.user, team=team),
        "can_manage": policy.can_manage_team(request.user, team.pk),
        "can_supervise": policy.can_supervise_team(request.user, team.pk),
    }
    return render(request, "teams/team_detail.html", context)


@login_required
def responsibility_matrix(request, team_id: int):
    team = _readable_team_or_404(request.user, team_id)
    rows = list(selectors.team_responsibility_matrix(user=request.user, team=team))
    for row in rows:
        row.editable = policy.can_change(request.user, row)
    context = {
        "team": team,
        "rows": rows,
        "can_supervise": policy.can_supervise_team(request.user, team.pk),
        "can_add": policy.can_manage_team(request.user, team.pk)
        or any(policy.can_manage_team(request.user, child.pk) for child in team.children.all()),
    }
    return render(request, "teams/responsibility_matrix.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def responsibility_edit(request, team_id: int, responsibility_id: int | None = None):
    team = _readable_team_or_404(request.user, team_id)
    responsibility = None
    if responsibility_id is not None:
        responsibility = _managed_responsibility_or_404(request.user, responsibility_id)
    form = ResponsibilityForm(request.POST or None, instance=responsibility, user=request.user, department=team)
    if not form.fields["team"].queryset.exists():
        raise PermissionDenied
    saved = _submit(
        request,
        form,
        lambda data: (
            services.responsibility_create(**data)
            if responsibility is None
            else services.responsibility_update(responsibility=responsibility, data=data)
        ),
    )
    if saved:
        messages.success(request, _("Responsibility saved."))
        return redirect("team-responsibilities", team_id=team.pk)
    return render(
        request,
        "teams/responsibility_form.html",
        {"team": team, "form": form, "responsibility": responsibility},
    )


@login_required
@require_POST
def responsibility_delete(request, team_id: int, responsibility_id: int):
    team = _readable_team_or_404(request.user, team_id)
    responsibility = _managed_responsibility_or_404(request.user, responsibility_id)
    if responsibility.team_id != team.pk and responsibility.team.parent_id != team.pk:
        raise Http404
    services.responsibility_delete(responsibility=responsibility)
    messages.success(request, _("Responsibility removed."))
    return redirect("team-responsibilities", team_id=team.pk)


def _managed_team_or_404(user, team_id: int) -> Team:
    team = _readable_team_or_404(user, team_id)
    if not policy.can_manage_team(user, team.pk):
        raise PermissionDenied
    return team


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, team_id: int):
    team = _managed_team_or_404(request.user, team_id)
    form = MemberCreateForm(request.POST or None, user=request.user, team=team)
    membership = _submit(request, form, lambda data: services.member_create(team=team, **data))
    if membership:
        messages.success(request, _("%(name)s joined the team.") % {"name": membership.user})
        return redirect("team-detail", team_id=team.pk)
    return render(request, "teams/member_form.html", {"team": team, "form": form, "membership": None})


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, team_id: int, membership_id: int):
    team = _managed_team_or_404(request.user, team_id)
    membership = get_object_or_404(selectors.membership_list(user=request.user).filter(team=team), pk=membership_id)
    initial = {
        "display_name": membership.user.display_name,
        "role": membership.role,
        "position": membership.position,
        "active": membership.active,
    }
    form = MembershipEditForm(request.POST or None, initial=initial, user=request.user, team=team)
    if _submit(request, form, lambda data: services.membership_update(membership=membership, data=data)):
        messages.success(request, _("Membership updated."))
        return redirect("team-detail", team_id=team.pk)
    return render(request, "teams/member_form.html", {"team": team, "form": form, "membership": membership})


def _submit(request, form, save: Callable[[dict], T]) -> T | None:
    """On a valid POST, hand the cleaned data to a service; its field errors land on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        add_errors_to_form(form, error)
        return None
