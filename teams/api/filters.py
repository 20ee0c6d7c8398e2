"""Filters take plain ids (not model choices), so a foreign id filters to nothing
instead of revealing whether it exists."""

import django_filters

from teams.models import Membership, Position, Responsibility, Role, Shift, Shop, Team


class TeamFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains")
    parent = django_filters.NumberFilter(field_name="parent_id")

    class Meta:
        model = Team
        fields = ["name", "parent"]


class MemberFilter(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id")
    role = django_filters.ChoiceFilter(choices=Role.choices)
    position = django_filters.ChoiceFilter(choices=Position.choices)
    username = django_filters.CharFilter(field_name="user__username")

    class Meta:
        model = Membership
        fields = ["team", "role", "position", "active", "username"]


class ShopFilter(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id")

    class Meta:
        model = Shop
        fields = ["team", "code", "active"]


class ResponsibilityFilter(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id")
    category = django_filters.CharFilter(lookup_expr="icontains")
    owner = django_filters.NumberFilter(field_name="owner_id")
    backup = django_filters.NumberFilter(field_name="backup_id")

    class Meta:
        model = Responsibility
        fields = ["team", "category", "owner", "backup"]


class ShiftFilter(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id")
    user = django_filters.NumberFilter(field_name="user_id")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Shift
        fields = ["team", "user", "date", "date_from", "date_to"]
