from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from plans.models import DailyPlan, Task, TaskStatus
from teams import policy
from teams.models import Team


class SummaryForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = DailyPlan
        fields = [
            "customers_served",
            "pre_sales_conversations",
            "after_sales_conversations",
            "busiest_hour",
            "conversion_rate",
            "unanswered",
            "problems",
            "improvements",
            "note",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ("problems", "improvements", "note")}


class ReviewForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TaskForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Task
        fields = ["team", "what", "why", "assignees", "due_at", "where", "how", "how_much", "how_much_unit"]
        widgets = {
            "due_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "why": forms.Textarea(attrs={"rows": 2}),
            "how": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        supervised = policy.team_access(user).supervised
        self.fields["team"].queryset = Team.objects.filter(id__in=supervised).order_by("name")
        self.fields["team"].empty_label = None
        self.fields["assignees"].queryset = policy.users_in_teams(supervised).order_by("username")


class TaskStatusForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
