import django_filters

from conversations.models import Category, Conversation, ImportJob, ImportStatus


class ConversationFilter(django_filters.FilterSet):
    agent = django_filters.CharFilter(field_name="agent__username", help_text="Agent username.")
    team = django_filters.NumberFilter(field_name="team_id")
    shop = django_filters.CharFilter(field_name="shop__code", help_text="Shop code.")
    category = django_filters.ChoiceFilter(choices=Category.choices)
    date_from = django_filters.DateFilter(field_name="started_at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="started_at", lookup_expr="date__lte")
    rating = django_filters.NumberFilter()
    resolved = django_filters.BooleanFilter()
    source = django_filters.CharFilter()

    class Meta:
        model = Conversation
        fields = ["agent", "team", "shop", "category", "date_from", "date_to", "rating", "resolved", "source"]


class ImportJobFilter(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id")
    status = django_filters.ChoiceFilter(choices=ImportStatus.choices)

    class Meta:
        model = ImportJob
        fields = ["team", "status"]
