from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from teams import policy
from teams.models import Position, Responsibility, Role, Team


class ResponsibilityForm(BootstrapFormMixin, forms.ModelForm):
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
        self.fields["team"].empty_label = None
        if not self.instance.pk and department.pk in managed:
            self.fields["team"].initial = department.pk
        people = policy.users_in_teams(teams.values_list("id", flat=True)).order_by("username")
        self.fields["owner"].queryset = people
        self.fields["backup"].queryset = people
        self.fields["owner"].label_from_instance = _person_label
        self.fields["backup"].label_from_instance = _person_label
        self.fields["owner"].empty_label = _("— nobody in particular —")
        self.fields["backup"].empty_label = _("— no backup —")


def _person_label(user) -> str:
    return f"{user.display_name} ({user.username})" if user.display_name else user.username


class _RoleChoiceMixin:
    """Offer only the roles this user may grant in this team (see policy.may_grant_role)."""

    def limit_roles(self, *, user, team: Team, current_role: str | None = None) -> None:
        self.fields["role"].choices = [
            (value, label)
            for value, label in Role.choices
            if value == current_role or policy.may_grant_role(user, team, value)
        ]


class MemberCreateForm(_RoleChoiceMixin, BootstrapFormMixin, forms.Form):
    username = forms.RegexField(label=_("Username"), regex=r"^[\w.@+-]+\Z", max_length=150)
    display_name = forms.CharField(label=_("Display name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.AGENT)
    position = forms.ChoiceField(label=_("Position"), choices=[("", "—"), *Position.choices], required=False)
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty for an account that cannot log in yet."),
    )

    def __init__(self, *args, user, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_roles(user=user, team=team)


class MembershipEditForm(_RoleChoiceMixin, BootstrapFormMixin, forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    position = forms.ChoiceField(label=_("Position"), choices=[("", "—"), *Position.choices], required=False)
    active = forms.BooleanField(label=_("Active member"), required=False)

    def __init__(self, *args, user, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_roles(user=user, team=team, current_role=self.initial.get("role"))
