"""The form authors use to add and change a career level."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from teams import policy
from teams.models import Position, Team
from training.access import visible_courses
from training.career.progress import KPI_WINDOW_DAYS, QA_WINDOW_DAYS
from training.models import Course


class CareerLevelForm(BootstrapFormMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("team"), queryset=Team.objects.none(), empty_label=None)
    position = forms.ChoiceField(label=_("position"), choices=Position.choices)
    rank = forms.IntegerField(label=_("rank"), min_value=1, max_value=99, help_text=_("1 is the first level."))
    name = forms.CharField(label=_("name"), max_length=100)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    required_courses = forms.ModelMultipleChoiceField(
        label=_("courses to complete"), queryset=Course.objects.none(), required=False
    )
    min_qa_score = forms.DecimalField(
        label=_("minimum QA score"), max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )
    min_kpi_attainment = forms.DecimalField(
        label=_("minimum KPI attainment (%)"), max_digits=6, decimal_places=2, min_value=0, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        supervised = policy.team_access(user).supervised
        self.fields["team"].queryset = Team.objects.filter(id__in=supervised).order_by("name")
        courses = self.fields["required_courses"]
        courses.queryset = visible_courses(user).select_related("team").order_by("title")
        courses.label_from_instance = lambda course: f"{course} · {course.team}"
        courses.widget.attrs["size"] = 6
        self.fields["min_qa_score"].help_text = _("Mean QA review total over the last %(days)s days; empty: none.") % {
            "days": QA_WINDOW_DAYS
        }
        self.fields["min_kpi_attainment"].help_text = _(
            "Mean attainment of the agent's daily targets over the last %(days)s days; empty: none."
        ) % {"days": KPI_WINDOW_DAYS}

    def level_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("team", None)
        data["required_courses"] = list(data["required_courses"])
        return data
