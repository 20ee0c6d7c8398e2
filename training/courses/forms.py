"""Forms of the course pages: the course and its materials (a formset), assigning, periodic assessments."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from qa_reviews.models import Criterion
from teams import policy
from teams.models import Position, Team
from training import access
from training.courses.authoring import ATTACHMENT_MAX_BYTES
from training.models import AssessmentSchedule, Course, MaterialKind


class CriterionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, criterion) -> str:
        return f"{criterion.scorecard.name} · {criterion.title}"


class CourseForm(BootstrapFormMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("team"), queryset=Team.objects.none(), empty_label=None)
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    audience_positions = forms.MultipleChoiceField(
        label=_("positions"),
        choices=Position.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every position of the team and the teams under it."),
    )
    estimated_minutes = forms.IntegerField(
        label=_("estimated minutes"),
        min_value=0,
        required=False,
        help_text=_("Empty: the materials' minutes added up."),
    )
    qa_criteria = CriterionChoiceField(
        label=_("QA criteria it trains"),
        queryset=Criterion.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("An agent who fails one of these in a QA review gets the course suggested."),
    )

    def __init__(self, *args, user, course: Course | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        team_access = policy.team_access(user)
        self.fields["team"].queryset = Team.objects.filter(id__in=team_access.supervised).order_by("name")
        if course is not None:
            self.fields["team"].disabled = True  # a course stays in its team
        linked = course.qa_criteria.values("pk") if course is not None else []
        self.fields["qa_criteria"].queryset = (
            Criterion.objects.filter(scorecard__team_id__in=team_access.readable)
            .filter(Q(scorecard__is_current=True) | Q(pk__in=linked))
            .select_related("scorecard")
            .order_by("scorecard__name", "position", "id")
        )
        self.fields["audience_positions"].widget.attrs["class"] = "form-check-input"


class MaterialForm(BootstrapFormMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("kind"), choices=MaterialKind.choices, initial=MaterialKind.TEXT)
    title = forms.CharField(label=_("title"), max_length=200)
    body = forms.CharField(
        label=_("text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown: **bold**, lists, links. Under a video or a file: notes."),
    )
    video_url = forms.URLField(label=_("video link"), required=False, assume_scheme="https")
    attachment = forms.FileField(
        label=_("file"),
        required=False,
        help_text=_("Up to %(megabytes)s MB.") % {"megabytes": ATTACHMENT_MAX_BYTES // 2**20},
    )
    estimated_minutes = forms.IntegerField(label=_("minutes"), min_value=0, initial=10)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == MaterialKind.TEXT and not (data.get("body") or "").strip():
            self.add_error("body", _("Write the text of this material."))
        elif kind == MaterialKind.VIDEO and not data.get("video_url"):
            self.add_error("video_url", _("Give the link to the recorded session."))
        elif kind == MaterialKind.ATTACHMENT and not data.get("attachment") and not self.initial.get("attachment_name"):
            self.add_error("attachment", _("Upload the file."))
        upload = data.get("attachment")
        if upload and upload.size > ATTACHMENT_MAX_BYTES:
            self.add_error(
                "attachment",
                _("An attachment may be at most %(megabytes)s MB.") % {"megabytes": ATTACHMENT_MAX_BYTES // 2**20},
            )
        return data


class MaterialRows(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].widget.attrs["class"] = "form-check-input"
        form.fields["DELETE"].label = _("Remove")
        form.fields["ORDER"].widget.attrs.update({"class": "form-control form-control-sm", "min": 1})
        form.fields["ORDER"].label = _("order")


# Rows left completely empty are ignored; "remove" drops a row; "order" moves it.
MaterialFormSet = forms.formset_factory(MaterialForm, formset=MaterialRows, extra=0, can_delete=True, can_order=True)


def materials_from(formset) -> list[dict]:
    """The materials the formset describes, in the order asked for, without removed or blank rows."""
    return [
        {
            "id": form.cleaned_data.get("id"),
            "kind": form.cleaned_data["kind"],
            "title": form.cleaned_data["title"],
            "body": form.cleaned_data.get("body", ""),
            "video_url": form.cleaned_data.get("video_url", ""),
            "attachment": form.cleaned_data.get("attachment"),
            "estimated_minutes": form.cleaned_data.get("estimated_minutes") or 0,
        }
        for form in formset.ordered_forms
        if form.cleaned_data
    ]


def materials_initial(course: Course) -> list[dict]:
    return [
        {
            "id": material.pk,
            "kind": material.kind,
            "title": material.title,
            "body": material.body,
            "video_url": material.video_url,
            "estimated_minutes": material.estimated_minutes,
            "attachment_name": material.attachment.name.rsplit("/", 1)[-1] if material.attachment else "",
            "ORDER": position,
        }
        for position, material in enumerate(course.materials.order_by("position", "id"), start=1)
    ]


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person) -> str:
        return f"{person} ({person.username})"


class AssignForm(BootstrapFormMixin, forms.Form):
    due_date = forms.DateField(label=_("due"), widget=forms.DateInput(attrs={"type": "date"}))
    teams = forms.ModelMultipleChoiceField(
        label=_("whole teams"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every active agent of the team in the course's audience."),
    )
    users = PersonChoiceField(
        label=_("people"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, team_ids: set[int], people, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = Team.objects.filter(id__in=team_ids).order_by("name")
        self.fields["teams"].widget.attrs["class"] = "form-check-input"
        self.fields["users"].queryset = people
        self.fields["due_date"].initial = today + dt.timedelta(days=7)
        self.fields["due_date"].widget.attrs["min"] = today.isoformat()

    def clean(self):
        data = super().clean()
        if not data.get("teams") and not data.get("users"):
            raise forms.ValidationError(_("Choose the people or the teams to assign the course to."))
        return data


class AssessmentForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = AssessmentSchedule
        fields = ["team", "course", "frequency", "due_days", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(id__in=access.authored_team_ids(user)).order_by("name")
        self.fields["team"].empty_label = None
        self.fields["course"].queryset = (
            access.visible_courses(user).filter(is_published=True).select_related("team").order_by("title")
        )
        self.fields["course"].empty_label = None
        if self.instance.pk:
            self.fields["team"].disabled = True
            self.fields["course"].disabled = True
