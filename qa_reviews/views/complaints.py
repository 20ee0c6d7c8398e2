"""Complaint pages: the filterable list with the SLA clock and a form to record one, and one complaint with its
history, status moves and follow-up."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from conversations.models import Conversation
from conversations.selectors import conversation_list
from core.forms import BootstrapFormMixin
from core.service_errors import add_errors_to_form, flash_errors
from qa_reviews import complaints
from qa_reviews.models import (
    Complaint,
    ComplaintCategory,
    ComplaintPriority,
    ComplaintStatus,
)
from teams import policy
from teams.models import Team

PAGE_SIZE = 50
MOVE_LABELS = {
    (ComplaintStatus.NEW, ComplaintStatus.RESPONDING): gettext_lazy("Start responding"),
    (ComplaintStatus.NEW, ComplaintStatus.RESOLVED): gettext_lazy("Resolved in the first answer"),
    (ComplaintStatus.RESPONDING, ComplaintStatus.RESOLVED): gettext_lazy("Mark resolved"),
    (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED): gettext_lazy("Close"),
    (ComplaintStatus.RESOLVED, ComplaintStatus.RESPONDING): gettext_lazy("Reopen"),
}


class ComplaintForm(BootstrapFormMixin, forms.Form):
    team = forms.ModelChoiceField(label=gettext_lazy("Team"), queryset=Team.objects.none(), empty_label=None)
    summary = forms.CharField(label=gettext_lazy("Summary"), max_length=200)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=ComplaintCategory.choices)
    priority = forms.ChoiceField(
        label=gettext_lazy("Priority"), choices=ComplaintPriority.choices, initial=ComplaintPriority.NORMAL
    )
    customer = forms.CharField(label=gettext_lazy("Customer"), max_length=120)
    channel = forms.CharField(label=gettext_lazy("Channel"), max_length=60, required=False)
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Owner"),
        queryset=policy.users_in_teams([]),
        required=False,
        help_text=gettext_lazy("Who answers it. Empty: you."),
    )
    conversation = forms.IntegerField(
        label=gettext_lazy("Conversation id"), required=False, min_value=1, help_text=gettext_lazy("Optional.")
    )
    received_at = forms.DateTimeField(
        label=gettext_lazy("Received at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("Empty: now."),
    )
    details = forms.CharField(label=gettext_lazy("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        teams = complaints.complaint_recording_teams(user)
        self.fields["team"].queryset = teams
        self.fields["owner"].queryset = policy.users_in_teams(teams.values_list("id", flat=True)).order_by("username")

    def clean_conversation(self):
        conversation_id = self.cleaned_data.get("conversation")
        if conversation_id is None:
            return None
        readable = policy.team_access(self.user).readable
        conversation = Conversation.objects.filter(pk=conversation_id, team_id__in=readable).first()
        if conversation is None:
            raise ValidationError(_("No conversation %(id)s in your teams.") % {"id": conversation_id})
        return conversation


class PolicyForm(BootstrapFormMixin, forms.Form):
    team = forms.ModelChoiceField(label=gettext_lazy("Team"), queryset=Team.objects.none(), empty_label=None)
    first_response_minutes = forms.IntegerField(label=gettext_lazy("First response within (minutes)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = policy.managed_teams(user).order_by("name")


def _sla_rows(user) -> list[dict]:
    """The SLA each team the user manages gives new complaints."""
    teams = list(policy.managed_teams(user).order_by("name"))
    slas = complaints.complaint_slas(teams)
    return [{"team": team, "minutes": slas[team.pk][0], "own": slas[team.pk][1] == "team"} for team in teams]


@login_required
@require_http_methods(["GET", "POST"])
def complaint_list(request):
    form = ComplaintForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaints.complaint_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, _("Complaint recorded."))
            return redirect("complaint-detail", complaint_id=complaint.pk)
    visible = complaints.complaint_list(request.user)
    page = Paginator(complaints.complaints_filtered(visible, request.GET), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "show_form": request.method == "POST" or "new" in request.GET,
        "filters": {
            name: request.GET.get(name, "") for name in ("status", "priority", "category", "team", "owner", "breached")
        },
        "statuses": ComplaintStatus.choices,
        "priorities": ComplaintPriority.choices,
        "categories": ComplaintCategory.choices,
        "teams": policy.readable_teams(request.user).order_by("name"),
        "sla_rows": _sla_rows(request.user),
        "policy_form": PolicyForm(user=request.user),
        "now": timezone.now(),
    }
    return render(request, "qa_reviews/complaint_list.html", context)


@login_required
@require_POST
def complaint_policy(request):
    form = PolicyForm(request.POST, user=request.user)
    if not form.is_valid():
        if "team" in form.errors:
            raise Http404  # not a team the user manages
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect("complaint-list")
    try:
        complaints.complaint_policy_set(
            team=form.cleaned_data["team"], actor=request.user, minutes=form.cleaned_data["first_response_minutes"]
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The SLA applies to complaints recorded from now on."))
    return redirect("complaint-list")


@login_required
def complaint_detail(request, complaint_id: int):
    try:
        complaint = complaints.complaint_detail(request.user, complaint_id)
    except Complaint.DoesNotExist as missing:
        raise Http404 from missing
    may_handle = complaints.complaint_may_handle(request.user, complaint)
    supervises = policy.can_supervise_team(request.user, complaint.team_id)
    moves = [
        (to_status, MOVE_LABELS[(complaint.status, to_status)])
        for to_status in complaints.NEXT_STATUSES[complaint.status]
    ]
    context = {
        "complaint": complaint,
        "may_handle": may_handle,
        "moves": moves if may_handle else [],
        "may_follow_up": may_handle and complaint.status in complaints.FOLLOW_UP_STATUSES,
        "conversation_readable": complaint.conversation_id is not None
        and conversation_list(user=request.user).filter(pk=complaint.conversation_id).exists(),
        "satisfaction_choices": range(1, 6),
        # Cases are worked by the team's supervisors and QA inspectors (qa_reviews.cases).
        "may_open_case": supervises,
        "cases": list(complaint.cases.order_by("-created_at")) if supervises else [],
        "now": timezone.now(),
    }
    return render(request, "qa_reviews/complaint_detail.html", context)


@login_required
@require_POST
def complaint_action(request, complaint_id: int, action: str):
    complaint = get_object_or_404(complaints.complaint_list(request.user), pk=complaint_id)
    try:
        if action == "transition":
            complaints.complaint_transition(
                complaint=complaint,
                actor=request.user,
                to_status=request.POST.get("status", ""),
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("Status changed."))
        elif action == "follow-up":
            value = request.POST.get("satisfaction", "")
            complaints.complaint_follow_up(
                complaint=complaint, actor=request.user, satisfaction=int(value) if value.isdigit() else 0
            )
            messages.success(request, _("Satisfaction recorded."))
        else:
            raise Http404
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("complaint-detail", complaint_id=complaint.pk)
