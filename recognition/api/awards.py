"""/api/v1/awards/ and /api/v1/award-settings/: awards with the breakdown that explains them, granting monthly and
special awards, and each team's eligibility rules and webhook.

Who sees how much of a breakdown is decided in recognition.selectors_awards (the award page asks the same).
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from recognition import award_settings, selectors_awards
from recognition.award_grants import award_grant
from recognition.models import Award, AwardKind, AwardSettings
from teams import policy
from teams.api.scoping import ReadableMemberField, ReadableTeamField

# --- the breakdown, typed for the schema (the engine writes it; see the recognition brief) ---------------------


class BreakdownLineSerializer(serializers.Serializer):
    metric = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    normalised = serializers.FloatField()
    weight = serializers.CharField()
    contribution = serializers.FloatField()


class BreakdownCandidateSerializer(serializers.Serializer):
    agent_id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    rank = serializers.IntegerField()
    total = serializers.FloatField()
    eligible = serializers.BooleanField()
    ineligible = serializers.ListField(
        child=serializers.CharField(),
        help_text="min_conversations, min_qa_reviews, upheld_auto_fail (the last only on your own row, "
        "unless you supervise the team).",
    )
    conversations = serializers.IntegerField()
    qa_reviews = serializers.IntegerField()
    qa_score_avg = serializers.FloatField(allow_null=True)
    lines = BreakdownLineSerializer(many=True)


class BreakdownRulesSerializer(serializers.Serializer):
    min_conversations = serializers.IntegerField()
    min_qa_reviews = serializers.IntegerField()
    exclude_upheld_auto_fail = serializers.BooleanField()


class BreakdownSerializer(serializers.Serializer):
    """Everything but the candidates is absent for a special award: it is chosen, not computed."""

    formula = serializers.CharField(required=False)
    weights = serializers.DictField(
        child=serializers.CharField(), required=False, help_text="metric: weight (a decimal string)"
    )
    rules = BreakdownRulesSerializer(required=False)
    tie_break = serializers.ListField(child=serializers.CharField(), required=False)
    candidates = BreakdownCandidateSerializer(
        many=True,
        help_text="Ranked. Supervisors of the team see every row; others the top three, the winner, the runner-up "
        "and their own.",
    )
    hidden_candidates = serializers.IntegerField(help_text="Rows left out for you.")
    winner_id = serializers.IntegerField(allow_null=True, required=False)
    runner_up_id = serializers.IntegerField(allow_null=True, required=False)
    margin = serializers.FloatField(allow_null=True, required=False)
    no_winner_reason = serializers.CharField(allow_blank=True, required=False)


# --- awards ----------------------------------------------------------------------------------------------------


class AwardSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    winner_name = serializers.SerializerMethodField()
    runner_up_name = serializers.SerializerMethodField()
    granted_by_name = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField(help_text="The award page: why this person won.")

    class Meta:
        model = Award
        fields = [
            "id",
            "team",
            "team_name",
            "kind",
            "kind_label",
            "period",
            "period_start",
            "period_end",
            "winner",
            "winner_name",
            "score",
            "runner_up",
            "runner_up_name",
            "margin",
            "citation",
            "granted_by",
            "granted_by_name",
            "announced_at",
            "created_at",
            "page",
        ]
        read_only_fields = fields

    def get_winner_name(self, award: Award) -> str | None:
        return str(award.winner) if award.winner_id else None

    def get_runner_up_name(self, award: Award) -> str | None:
        return str(award.runner_up) if award.runner_up_id else None

    def get_granted_by_name(self, award: Award) -> str | None:
        return str(award.granted_by) if award.granted_by_id else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, award: Award) -> str:
        request = self.context.get("request")
        url = award.get_absolute_url()
        return request.build_absolute_uri(url) if request is not None else url


class AwardDetailSerializer(AwardSerializer):
    breakdown = serializers.SerializerMethodField()

    class Meta(AwardSerializer.Meta):
        fields = [*AwardSerializer.Meta.fields, "breakdown"]
        read_only_fields = fields

    @extend_schema_field(BreakdownSerializer)
    def get_breakdown(self, award: Award) -> dict:
        return selectors_awards.award_breakdown_for(user=self.context["request"].user, award=award)


class AwardGrantSerializer(serializers.Serializer):
    """A monthly award ({kind, team, month}) computed by the engine, or a special one ({kind, team, winner,
    citation}). Winner, score and breakdown of a monthly award are computed, never sent."""

    kind = serializers.ChoiceField(choices=AwardKind.choices, help_text="monthly or special (weekly: the weekly job).")
    team = ReadableTeamField()
    month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$", required=False, help_text="Monthly: the month, e.g. 2026-11."
    )
    replace = serializers.BooleanField(
        required=False, default=False, help_text="Monthly: recompute a month that has its award (audited)."
    )
    winner = ReadableMemberField(required=False, help_text="Special: an active member of the team.")
    citation = serializers.CharField(required=False, max_length=2000, help_text="Special: why (shown on the page).")

    def validate_kind(self, kind: str) -> str:
        if kind not in selectors_awards.GRANTABLE_KINDS:
            raise serializers.ValidationError(
                _("Weekly awards are computed by the weekly job; grant monthly or special.")
            )
        return kind

    def validate(self, data):
        """Which fields the kind needs; the engine checks the rest (the winner's membership, the month ended)."""
        if data["kind"] == AwardKind.MONTHLY:
            if not data.get("month"):
                raise serializers.ValidationError({"month": [_("Name the month, e.g. 2026-11.")]})
            return data
        errors = {}
        if data.get("winner") is None:
            errors["winner"] = [_("Name the winner.")]
        if not (data.get("citation") or "").strip():
            errors["citation"] = [_("Say why this person gets the award.")]
        if errors:
            raise serializers.ValidationError(errors)
        return data


class AwardFilter(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id")  # an id: a foreign team's id filters to nothing
    kind = django_filters.ChoiceFilter(choices=AwardKind.choices)
    period = django_filters.CharFilter(help_text="2026-W47 or 2026-11")
    winner = django_filters.NumberFilter(field_name="winner_id")

    class Meta:
        model = Award
        fields = ["team", "kind", "period", "winner"]


@extend_schema(tags=["recognition"])
@extend_schema_view(
    list=extend_schema(summary="Awards of the teams you read (filter by team, kind, period, winner)"),
    retrieve=extend_schema(summary="One award with the breakdown that explains it (as much as you may see)"),
    create=extend_schema(
        summary="Grant a monthly award (computed for the month) or a special award with a citation (supervisors)",
        request=AwardGrantSerializer,
        responses={201: AwardDetailSerializer},
    ),
)
class AwardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = AwardFilter
    http_method_names = ["get", "post", "head", "options"]  # awards change only through the engine (audited)

    def get_queryset(self):
        awards = selectors_awards.award_list(user=self.request.user)
        return awards.defer("breakdown") if self.action == "list" else awards

    def get_serializer_class(self):
        return AwardDetailSerializer if self.action in ("retrieve", "create") else AwardSerializer

    def create(self, request):
        if not policy.team_access(request.user).manages_any:
            raise exceptions.PermissionDenied(_("Only supervisors and managers grant awards."))
        payload = AwardGrantSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        award = award_grant(actor=request.user, **payload.validated_data)
        award = self.get_queryset().get(pk=award.pk)
        return Response(self.get_serializer(award).data, status=status.HTTP_201_CREATED)


# --- award settings --------------------------------------------------------------------------------------------


_TEAM_IN_PATH = OpenApiParameter("team", OpenApiTypes.INT, OpenApiParameter.PATH, description="The team's id.")


class AwardSettingsSerializer(serializers.Serializer):
    team = serializers.IntegerField(source="team_id", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)
    min_conversations = serializers.IntegerField(
        min_value=0, max_value=award_settings.MAX_MINIMUM, help_text="In the award's period."
    )
    min_qa_reviews = serializers.IntegerField(
        min_value=0, max_value=award_settings.MAX_MINIMUM, help_text="Submitted reviews in the period."
    )
    exclude_upheld_auto_fail = serializers.BooleanField(
        help_text="An agent with an auto-failed review in the period that was not overturned cannot win."
    )
    webhook_url = serializers.URLField(
        allow_blank=True, max_length=200, help_text="Where each announced award is posted; empty: none."
    )
    webhook_secret = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=100,
        style={"input_type": "password"},
        help_text="Write-only. Signs each post (X-CS-Signature: sha256=HMAC-SHA256 of the body). Omit to keep it.",
    )
    webhook_secret_set = serializers.SerializerMethodField()
    configured = serializers.SerializerMethodField(help_text="False: the team uses the defaults.")
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_webhook_secret_set(self, values: AwardSettings) -> bool:
        return bool(values.webhook_secret)

    def get_configured(self, values: AwardSettings) -> bool:
        return values.pk is not None


@extend_schema(tags=["recognition"])
@extend_schema_view(
    list=extend_schema(summary="Award settings of the teams you manage (defaults where never changed)"),
    retrieve=extend_schema(
        summary="A team's eligibility rules and webhook (its supervisors and managers)", parameters=[_TEAM_IN_PATH]
    ),
    update=extend_schema(
        summary="Set a team's award settings (the secret: omit to keep it)", parameters=[_TEAM_IN_PATH]
    ),
    partial_update=extend_schema(summary="Change some of a team's award settings", parameters=[_TEAM_IN_PATH]),
)
class AwardSettingsViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """One entry per team, addressed by the team's id."""

    serializer_class = AwardSettingsSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "put", "patch", "head", "options"]
    lookup_url_kwarg = "team"
    lookup_value_regex = r"\d+"
    filter_backends: list = []
    queryset = AwardSettings.objects.none()  # for the schema; the entries are built per team below

    def list(self, request):
        teams = list(policy.managed_teams(request.user).order_by("name"))
        stored = {row.team_id: row for row in AwardSettings.objects.filter(team__in=teams)}
        entries = []
        for team in teams:
            entry = stored.get(team.pk) or AwardSettings(team=team)
            entry.team = team  # already loaded: no query per row
            entries.append(entry)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self) -> AwardSettings:
        team = get_object_or_404(policy.readable_teams(self.request.user), pk=self.kwargs["team"])
        if not policy.can_manage_team(self.request.user, team.pk):
            raise exceptions.PermissionDenied(_("Only the team's supervisors and managers see its award settings."))
        return award_settings.award_settings_of(team)

    def perform_update(self, serializer):
        serializer.instance = award_settings.award_settings_update(
            team=serializer.instance.team, actor=self.request.user, **serializer.validated_data
        )
