"""Case pages: the list, one case in three panels (现场 / 现物 / 现实) with its action, and opening a case."""

import os

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import BootstrapFormMixin
from core.service_errors import add_errors_to_form, flash_errors
from qa_reviews import cases, selectors
from qa_reviews.complaints import complaint_list
from qa_reviews.models import Case, CaseStatus
from teams import policy
from teams.models import Team

PAGE_SIZE = 50


def _team_members(team_id: int):
    return policy.users_in_teams([team_id]).order_by("username")


class CaseOpenForm(BootstrapFormMixin, forms.Form):
    team = forms.ModelChoiceField(label=gettext_lazy("Team"), queryset=Team.objects.none(), empty_label=None)
    title = forms.CharField(label=gettext_lazy("title"), max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(id__in=policy.team_access(user).supervised).order_by("name")


class CaseForm(BootstrapFormMixin, forms.Form):
    """The fields people write; the service decides what is allowed."""

    title = forms.CharField(label=gettext_lazy("title"), max_length=200)
    rating = forms.TypedChoiceField(
        label=gettext_lazy("rating"),
        choices=[("", "—"), *[(value, value) for value in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    buyer_id = forms.CharField(label=gettext_lazy("buyer id"), max_length=120, required=False)
    customer_comment = forms.CharField(
        label=gettext_lazy("customer comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.CharField(label=gettext_lazy("evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence_file = forms.FileField(
        label=gettext_lazy("evidence file"), required=False, help_text=gettext_lazy("Up to 10 MB; replaces the file.")
    )
    responsible = forms.ModelChoiceField(
        label=gettext_lazy("responsible person"), queryset=Team.objects.none(), required=False
    )
    root_cause = forms.CharField(
        label=gettext_lazy("root cause"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    meeting_notes = forms.CharField(
        label=gettext_lazy("meeting notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lesson_learned = forms.CharField(
        label=gettext_lazy("lesson learned"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    THING_FIELDS = ("rating", "buyer_id", "customer_comment", "evidence", "evidence_file")  # 现物
    FACT_FIELDS = ("responsible", "root_cause", "meeting_notes", "lesson_learned")  # 现实

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault(
            "initial", {name: getattr(case, name) for name in ("title", *self.THING_FIELDS, *self.FACT_FIELDS)}
        )
        kwargs["initial"].pop("evidence_file", None)
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _team_members(case.team_id)

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("evidence_file"):
            data.pop("evidence_file", None)  # no upload: keep the file the case has
        return data

    def things(self):
        return [self[name] for name in self.THING_FIELDS]

    def facts(self):
        return [self[name] for name in self.FACT_FIELDS]


class CaseActionForm(BootstrapFormMixin, forms.Form):
    """The 5W2H action: what, why, who, when, where, how, how much."""

    what = forms.CharField(label=gettext_lazy("what"), max_length=200)
    why = forms.CharField(
        label=gettext_lazy("why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Empty: the root cause."),
    )
    assignees = forms.ModelMultipleChoiceField(label=gettext_lazy("who"), queryset=Team.objects.none())
    due_at = forms.DateTimeField(
        label=gettext_lazy("when (due)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    where = forms.CharField(label=gettext_lazy("where"), max_length=200, required=False)
    how = forms.CharField(label=gettext_lazy("how"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    how_much = forms.DecimalField(
        label=gettext_lazy("how much"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    how_much_unit = forms.CharField(label=gettext_lazy("unit"), max_length=30, required=False)

    def __init__(self, *args, case: Case, **kwargs):
        initial = {"why": case.root_cause, "assignees": [case.responsible_id] if case.responsible_id else []}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["assignees"].queryset = _team_members(case.team_id)


@login_required
@require_http_methods(["GET", "POST"])
def case_list(request):
    open_form = CaseOpenForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not policy.team_access(request.user).supervised:
            raise PermissionDenied
        if open_form.is_valid():
            try:
                case = cases.case_open(
                    team=open_form.cleaned_data["team"], actor=request.user, title=open_form.cleaned_data["title"]
                )
            except ValidationError as error:
                add_errors_to_form(open_form, error)
            else:
                messages.success(request, _("Case opened."))
                return redirect("qa-case-detail", case_id=case.pk)
    found = cases.case_list(user=request.user)
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        found = found.filter(status=status)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": CaseStatus.choices,
        "open_form": open_form if policy.team_access(request.user).supervised else None,
    }
    return render(request, "qa_reviews/case_list.html", context)


def _training_flash(request, results: list) -> None:
    links = cases.training_material_links(results)
    if links:
        messages.success(
            request,
            format_html(
                "{} {}",
                _("Turned into training material:"),
                format_html_join(", ", '<a href="{}">{}</a>', ((url, title) for title, url in links)),
            ),
        )
    else:
        messages.success(request, _("Sent to training."))


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request, case_id: int):
    try:
        case = cases.case_detail(user=request.user, case_id=case_id)
    except Case.DoesNotExist as missing:
        raise Http404 from missing
    can_work = cases.can_work_on_case(request.user, case)
    is_open = case.status != CaseStatus.CLOSED
    edit_form = CaseForm(case=case) if can_work and is_open else None
    action_form = CaseActionForm(case=case) if can_work and is_open and case.action_task_id is None else None
    if request.method == "POST":
        if not can_work:
            raise PermissionDenied
        intent = request.POST.get("intent")
        offered_form = {"update": edit_form, "action": action_form}.get(intent)
        bound_form = None
        try:
            if intent == "update":
                bound_form = CaseForm(request.POST, request.FILES, case=case)
                if bound_form.is_valid():
                    cases.case_update(case=case, actor=request.user, **bound_form.changes())
                    messages.success(request, _("Case saved."))
                    return redirect("qa-case-detail", case_id=case.pk)
            elif intent == "action":
                bound_form = CaseActionForm(request.POST, case=case)
                if bound_form.is_valid():
                    data = {**bound_form.cleaned_data, "assignees": list(bound_form.cleaned_data["assignees"])}
                    cases.case_action_create(case=case, actor=request.user, **data)
                    messages.success(request, _("Action given: the task is on the assignees' days."))
                    return redirect("qa-case-detail", case_id=case.pk)
            elif intent == "close":
                cases.case_close(case=case, actor=request.user)
                messages.success(request, _("Case closed."))
                return redirect("qa-case-detail", case_id=case.pk)
            elif intent == "training":
                _training_flash(request, cases.case_turn_into_training(case=case, actor=request.user))
                return redirect("qa-case-detail", case_id=case.pk)
            else:
                raise Http404
        except ValidationError as error:
            if offered_form is None:  # close / training, or a form this page no longer offers
                flash_errors(request, error)
                return redirect("qa-case-detail", case_id=case.pk)
            add_errors_to_form(bound_form, error)
        except cases.NoTrainingReceiver as error:
            messages.error(request, str(error))
            return redirect("qa-case-detail", case_id=case.pk)
        if offered_form is None:  # a stale page posted a form that is gone: say why, show the case
            for field_errors in bound_form.errors.values():
                for message in field_errors:
                    messages.error(request, message)
            return redirect("qa-case-detail", case_id=case.pk)
        if intent == "update":
            edit_form = bound_form
        else:
            action_form = bound_form
    context = {
        "case": case,
        "can_work": can_work,
        "can_read_meeting_notes": can_work,  # cases.AGENT_HIDDEN_FIELDS: never the agent
        "edit_form": edit_form,
        "action_form": action_form,
        "training_available": can_work and cases.training_receivers_connected(),
    }
    return render(request, "qa_reviews/case_detail.html", context)


@login_required
def case_evidence(request, case_id: int):
    """The evidence file, to those who see the case; served as a download so no upload runs in the page."""
    case = get_object_or_404(cases.case_list(user=request.user), pk=case_id)
    if not case.evidence_file:
        raise Http404
    return FileResponse(
        case.evidence_file.open("rb"), as_attachment=True, filename=os.path.basename(case.evidence_file.name)
    )


@login_required
@require_POST
def case_from_review(request, review_id: int):
    review = get_object_or_404(selectors.review_list(user=request.user), pk=review_id)
    try:
        case = cases.case_open_from_review(review=review, actor=request.user)
    except cases.CaseAlreadyOpen as existing:
        flash_errors(request, existing)
        return redirect("qa-case-detail", case_id=existing.case.pk)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("qa-review-detail", review_id=review.pk)
    messages.success(request, _("Case opened from the review."))
    return redirect("qa-case-detail", case_id=case.pk)


@login_required
@require_POST
def case_from_complaint(request, complaint_id: int):
    complaint = get_object_or_404(complaint_list(request.user), pk=complaint_id)
    try:
        case = cases.case_open_from_complaint(complaint=complaint, actor=request.user)
    except cases.CaseAlreadyOpen as existing:
        flash_errors(request, existing)
        return redirect("qa-case-detail", case_id=existing.case.pk)
    messages.success(request, _("Case opened from the complaint."))
    return redirect("qa-case-detail", case_id=case.pk)
