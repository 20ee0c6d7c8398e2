from django import forms
from django.utils.translation import gettext_lazy as _

from teams import policy
from teams.models import Responsibility, Team


class ResponsibilityForm(forms.ModelForm):
    """Edit one row of the responsibility matrix; people come from the chosen team."""

    class Meta:
        model = Responsibility
        fields = ["team", "category", "owner", "backup", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, department: Team, **kwargs):
        super().__init__(*args, **kwargs)
        managed = policy.team_access(user).managed
        teams = Team.objects.filter(id__in=managed).filter(pk=department.pk) | Team.objects.filter(
            id__in=managed, parent=department
        )
        self.fields["team"].queryset = teams.order_by("name")
        people = policy.users_in_teams(teams.values_list("id", flat=True)).order_by("username")
        self.fields["owner"].queryset = people
        self.fields["backup"].queryset = people
        self.fields["owner"].label_from_instance = _person_label
        self.fields["backup"].label_from_instance = _person_label
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        self.fields["owner"].empty_label = _("— nobody in particular —")
        self.fields["backup"].empty_label = _("— no backup —")


def _person_label(user) -> str:
    return f"{user.display_name} ({user.username})" if user.display_name else user.username
