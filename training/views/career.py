"""Career path pages: a team's levels with my progress toward the next one (supervisors see every agent's),
and the authors' page that manages the levels."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.service_errors import add_errors_to_form, flash_errors
from teams import policy
from teams.models import Membership, Position, Team
from training import career
from training.career.forms import CareerLevelForm


def _chosen_team(request, candidates) -> Team | None:
    """The team named by ?team= among `candidates` (404 for any other), else the first candidate."""
    raw = request.GET.get("team")
    if raw:
        if not raw.isdigit():
            raise Http404
        return get_object_or_404(candidates, pk=int(raw))
    return candidates.first()


@login_required
def career_page(request):
    access = policy.team_access(request.user)
    member_of = Membership.objects.filter(user=request.user, active=True).values_list("team_id", flat=True)
    teams = Team.objects.filter(id__in={*member_of, *access.supervised}).order_by("name")
    team = _chosen_team(request, teams)
    context = {"teams": teams, "team": team}
    if team is not None:
        supervises = policy.can_supervise_team(request.user, team.pk)
        path = career.career_path(team=team)
        if supervises:
            team_progress = career.career_progress(team=team, path=path)
            mine = [row for row in team_progress if row.user.pk == request.user.pk]
        else:
            team_progress, mine = None, career.career_progress(team=team, users=[request.user], path=path)
        context.update(
            {
                "paths": [(label, path[value]) for value, label in Position.choices if value in path],
                "mine": mine[0] if mine else None,
                "team_progress": team_progress,
                "can_author": supervises,
                "qa_days": career.QA_WINDOW_DAYS,
                "kpi_days": career.KPI_WINDOW_DAYS,
            }
        )
    return render(request, "training/career_path.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def career_levels(request):
    supervised = policy.team_access(request.user).supervised
    if not supervised:
        raise PermissionDenied
    teams = Team.objects.filter(id__in=supervised).order_by("name")
    team = _chosen_team(request, teams)
    form = CareerLevelForm(request.POST or None, user=request.user, initial={"team": team.pk, "rank": 1})
    if request.method == "POST" and form.is_valid():
        try:
            level = career.career_level_create(
                actor=request.user, team=form.cleaned_data["team"], **form.level_fields()
            )
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, _("Level “%(name)s” added.") % {"name": level.name})
            return redirect(f"{request.path}?team={level.team_id}")
    levels = career.career_level_list(user=request.user).filter(team=team)
    context = {"teams": teams, "team": team, "levels": levels, "form": form}
    return render(request, "training/career_levels.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def career_level_edit(request, level_id: int):
    level = get_object_or_404(career.career_level_list(user=request.user), pk=level_id)
    if not policy.can_supervise_team(request.user, level.team_id):
        raise PermissionDenied
    back = f"{redirect('training-career-levels').url}?team={level.team_id}"
    if request.method == "POST" and request.POST.get("intent") == "delete":
        try:
            career.career_level_delete(level=level, actor=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Level “%(name)s” removed.") % {"name": level.name})
        return redirect(back)
    initial = {
        "team": level.team_id,
        "position": level.position,
        "rank": level.rank,
        "name": level.name,
        "description": level.description,
        "required_courses": [course.pk for course in level.required_courses.all()],
        "min_qa_score": level.min_qa_score,
        "min_kpi_attainment": level.min_kpi_attainment,
    }
    form = CareerLevelForm(request.POST or None, user=request.user, initial=initial)
    form.fields["team"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            career.career_level_update(level=level, actor=request.user, **form.level_fields())
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, _("Level saved."))
            return redirect(back)
    return render(request, "training/career_level_form.html", {"form": form, "level": level, "back": back})
