"""Award pages: the list (history, filters, granting monthly and special awards), one award with "why this person
won", and a team's award settings (eligibility rules, webhook)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.service_errors import add_errors_to_form
from recognition import award_settings, selectors_awards
from recognition.award_grants import award_grant
from recognition.models import Award, AwardKind, WebhookDelivery
from recognition.views.award_breakdown import breakdown_table
from recognition.views.award_forms import AwardSettingsForm, MonthlyAwardForm, SpecialAwardForm
from teams import policy
from teams.models import Team

PAGE_SIZE = 25
RECENT_DELIVERIES = 10


@login_required
@require_http_methods(["GET", "POST"])
def award_list(request):
    grant_teams = list(selectors_awards.award_grant_teams(request.user))
    team_ids = [team.pk for team in grant_teams]
    teams = Team.objects.filter(pk__in=team_ids).order_by("name")
    today = timezone.localdate()
    intent = request.POST.get("intent") if request.method == "POST" else None
    monthly_form = MonthlyAwardForm(
        request.POST if intent == "monthly" else None, teams=teams, today=today, prefix="monthly"
    )
    special_form = SpecialAwardForm(
        request.POST if intent == "special" else None, teams=teams, team_ids=team_ids, prefix="special"
    )
    if request.method == "POST":
        if not grant_teams:
            raise PermissionDenied
        form = {"monthly": monthly_form, "special": special_form}.get(intent)
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                award = award_grant(kind=intent, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors_to_form(form, error)
            else:
                messages.success(request, _("Award granted: %(award)s.") % {"award": award})
                return redirect(award.get_absolute_url())

    filters = {"team": request.GET.get("team", ""), "kind": request.GET.get("kind", "")}
    awards = selectors_awards.award_list(
        user=request.user,
        team_id=int(filters["team"]) if filters["team"].isdigit() else None,
        kind=filters["kind"] if filters["kind"] in AwardKind.values else "",
    ).defer("breakdown")  # the list never shows it
    context = {
        "page": Paginator(awards, PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": filters,
        "teams": policy.readable_teams(request.user).filter(awards__isnull=False).distinct().order_by("name"),
        "kinds": AwardKind.choices,
        "grant_teams": grant_teams,
        "monthly_form": monthly_form,
        "special_form": special_form,
        "open_form": intent,
    }
    return render(request, "recognition/award_list.html", context)


@login_required
def award_detail(request, award_id: int):
    try:
        award = selectors_awards.award_detail(user=request.user, award_id=award_id)
    except Award.DoesNotExist as missing:
        raise Http404 from missing
    breakdown = selectors_awards.award_breakdown_for(user=request.user, award=award)
    context = {
        "award": award,
        "breakdown": breakdown,
        "table": breakdown_table(breakdown, viewer_id=request.user.pk),
        "history": list(selectors_awards.award_history(award)),
        "sees_every_candidate": selectors_awards.award_sees_every_candidate(request.user, award),
        "manages_team": policy.can_manage_team(request.user, award.team_id),
    }
    return render(request, "recognition/award_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def award_settings_edit(request, team_id: int):
    team = get_object_or_404(policy.readable_teams(request.user), pk=team_id)
    if not policy.can_manage_team(request.user, team.pk):
        raise PermissionDenied
    current = award_settings.award_settings_of(team)
    form = AwardSettingsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            award_settings.award_settings_update(team=team, actor=request.user, **form.changes())
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, _("Award settings saved. They apply to awards computed from now on."))
            return redirect("recognition-award-settings", team_id=team.pk)
    deliveries = WebhookDelivery.objects.filter(award__team=team).select_related("award")[:RECENT_DELIVERIES]
    context = {"team": team, "form": form, "current": current, "deliveries": deliveries}
    return render(request, "recognition/award_settings.html", context)
