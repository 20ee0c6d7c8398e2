import django_filters
from django.db.models import Q


class _DateRangeTeamFilter(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")


class AgentMetricFilter(_DateRangeTeamFilter):
    agent = django_filters.CharFilter(method="filter_agent", help_text="Agent id or username.")

    def filter_agent(self, queryset, name, value):
        return queryset.filter(Q(agent__username=value) | (Q(agent_id=int(value)) if value.isdigit() else Q()))


class TeamMetricFilter(_DateRangeTeamFilter):
    pass


class HourlyVolumeFilter(_DateRangeTeamFilter):
    pass
