"""Kudos and good-case pages: giving kudos, the kudos list with weekly counts, marking and sharing good cases."""

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from conversations.models import Conversation
from core.forms import BootstrapFormMixin
from core.service_errors import add_errors_to_form, flash_errors
from recognition import good_cases, kudos
from recognition.models import GoodCase, KudosValue
from teams import policy
from teams.models import Team
from training.models import ArticleStatus

PAGE_SIZE = 50


class KudosForm(BootstrapFormMixin, forms.Form):
    receiver = forms.ModelChoiceField(label=gettext_lazy("Colleague"), queryset=Team.objects.none())
    value = forms.ChoiceField(
        label=gettext_lazy("Value"),
        choices=KudosValue.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    message = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=kudos.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What did they do? At most 280 characters."),
    )

    def __init__(self, *args, user, team: Team | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = kudos.colleagues(user, team_id=team.pk if team else None)


class GoodCaseNoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why it is great"),
        max_length=good_cases.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What colleagues can learn from it. The whole team reads this on the team wall."),
    )


def _team_from_query(request) -> Team | None:
    """The ?team= filter: a team the user reads, or None; any other value is a 404."""
    raw = request.GET.get("team", "")
    if not raw:
        return None
    if not raw.isdigit() or not policy.can_read_team(request.user, int(raw)):
        raise Http404
    return Team.objects.get(pk=int(raw))


def _own_team_from_query(request) -> Team | None:
    """The ?team= of a team the user is an active member of; anything else is ignored (all their colleagues)."""
    raw = request.GET.get("team", "")
    if not raw.isdigit():
        return None
    return Team.objects.filter(pk=int(raw), memberships__user=request.user, memberships__active=True).first()


# --- kudos ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def kudos_new(request):
    """Give kudos; ?team= (from a team's wall) narrows the colleagues to that team, ?receiver= preselects one."""
    team = _own_team_from_query(request)
    form = KudosForm(
        request.POST or None, user=request.user, team=team, initial={"receiver": request.GET.get("receiver")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            given = kudos.kudos_give(giver=request.user, team=team, **form.cleaned_data)
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, _("Kudos sent to %(name)s.") % {"name": given.receiver})
            return redirect(kudos.wall_url(given.team_id))
    context = {"form": form, "team": team, "limit": kudos.PER_GIVER_PER_DAY}
    return render(request, "recognition/kudos_form.html", context)


@login_required
@require_safe
def kudos_list(request):
    team = _team_from_query(request)
    found = kudos.kudos_list(user=request.user)
    if team is not None:
        found = found.filter(team_id=team.pk)
    week_text = request.GET.get("week", "").strip()
    week_start = None
    if week_text:
        try:
            week_start = kudos.parse_iso_week(week_text)
        except ValueError:
            messages.error(request, _("Write the week as 2026-W47."))
            week_text = ""
    if week_start is not None:
        team_ids = [team.pk] if team is not None else policy.team_access(request.user).readable
        found = kudos.kudos_in_week(found, week_start=week_start, team_ids=team_ids)
    counts, counts_week = None, None
    if team is not None:
        counts_week = week_start or kudos.current_week_start(team.timezone)
        counts = kudos.kudos_count_rows(
            team_id=team.pk, week_start=counts_week, week_end=counts_week + dt.timedelta(days=6)
        )
    context = {
        "page": Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")),
        "teams": policy.readable_teams(request.user).order_by("name"),
        "team": team,
        "week": week_text,
        "counts": counts,
        "counts_week": kudos.iso_week_label(counts_week) if counts_week else "",
        "filter_query": urlencode({k: v for k, v in (("team", team.pk if team else ""), ("week", week_text)) if v}),
    }
    return render(request, "recognition/kudos_list.html", context)


# --- good cases ----------------------------------------------------------------------------------


def _with_viewer_rights(user, cases) -> list[GoodCase]:
    cases = list(cases)
    for good_case in cases:
        good_case.viewer_can_open = good_cases.can_open_conversation(user, good_case)
        good_case.viewer_can_change = good_cases.can_mark_good_case(user, good_case.team_id)
        # Drafts are for the team's authors (the same people who mark good cases); published ones for everyone.
        good_case.viewer_can_read_article = good_case.article_id is not None and (
            good_case.viewer_can_change or good_case.article.status == ArticleStatus.PUBLISHED
        )
    return cases


@login_required
def good_case_list(request):
    team = _team_from_query(request)
    found = good_cases.good_case_list(user=request.user)
    if team is not None:
        found = found.filter(team_id=team.pk)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _with_viewer_rights(request.user, page.object_list)
    context = {"page": page, "teams": policy.readable_teams(request.user).order_by("name"), "team": team}
    return render(request, "recognition/good_case_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def good_case_new(request):
    """Mark the conversation ?conversation=<id> as a good case (linked from the conversation page)."""
    raw = request.GET.get("conversation", "")
    if not raw.isdigit():
        raise Http404
    try:
        conversation = good_cases.conversation_to_mark(user=request.user, conversation_id=int(raw))
    except Conversation.DoesNotExist as missing:
        raise Http404 from missing
    if not good_cases.can_mark_good_case(request.user, conversation.team_id):
        raise PermissionDenied
    existing = GoodCase.objects.filter(conversation=conversation).first()
    if existing is not None:
        messages.info(request, _("This conversation is already a good case."))
        return redirect("recognition-good-case-detail", good_case_id=existing.pk)
    form = GoodCaseNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            good_case = good_cases.good_case_mark(
                actor=request.user, conversation=conversation, note=form.cleaned_data["note"]
            )
        except good_cases.GoodCaseAlreadyMarked as marked:
            messages.info(request, _("This conversation is already a good case."))
            return redirect("recognition-good-case-detail", good_case_id=marked.good_case.pk)
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, _("Shared as a good case: the team sees it on the team wall."))
            return redirect("recognition-good-case-detail", good_case_id=good_case.pk)
    return render(request, "recognition/good_case_form.html", {"form": form, "conversation": conversation})


@login_required
@require_http_methods(["GET", "POST"])
def good_case_detail(request, good_case_id: int):
    try:
        good_case = good_cases.good_case_list(user=request.user).get(pk=good_case_id)
    except GoodCase.DoesNotExist as missing:
        raise Http404 from missing
    (good_case,) = _with_viewer_rights(request.user, [good_case])
    form = GoodCaseNoteForm(initial={"note": good_case.note}) if good_case.viewer_can_change else None
    if request.method == "POST":
        if not good_case.viewer_can_change:
            raise PermissionDenied
        intent = request.POST.get("intent")
        try:
            if intent == "update":
                form = GoodCaseNoteForm(request.POST)
                if form.is_valid():
                    good_cases.good_case_update(good_case=good_case, actor=request.user, note=form.cleaned_data["note"])
                    messages.success(request, _("Note saved."))
                    return redirect("recognition-good-case-detail", good_case_id=good_case.pk)
            elif intent == "unmark":
                good_cases.good_case_unmark(good_case=good_case, actor=request.user)
                messages.success(request, _("The conversation is no longer a good case."))
                return redirect("recognition-good-case-list")
            elif intent == "article":
                article, created = good_cases.good_case_article_create(good_case=good_case, actor=request.user)
                messages.success(
                    request,
                    _("Draft article written: check it and publish it.")
                    if created
                    else _("This good case already has its article."),
                )
                return redirect(article.get_absolute_url())
        except ValidationError as error:
            if form is not None and intent == "update":
                add_errors_to_form(form, error)
            else:
                flash_errors(request, error)
                return redirect("recognition-good-case-detail", good_case_id=good_case.pk)
    return render(request, "recognition/good_case_detail.html", {"good_case": good_case, "form": form})
