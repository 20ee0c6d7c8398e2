from django.contrib.auth import get_user_model
from rest_framework import serializers

from teams.api.scoping import ReadableMemberField, ReadableTeamField
from teams.models import Membership, Position, Responsibility, Role, Shift, Shop, Team

User = get_user_model()


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "display_name"]
        read_only_fields = fields


class TeamSerializer(serializers.ModelSerializer):
    parent = ReadableTeamField(allow_null=True, required=False)
    active_member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "timezone", "vision", "parent", "active_member_count", "created_at", "updated_at"]
        read_only_fields = ["id", "active_member_count", "created_at", "updated_at"]


class MemberSerializer(serializers.ModelSerializer):
    """A membership, shown with its person."""

    user = PersonSerializer(read_only=True)
    team = ReadableTeamField()

    class Meta:
        model = Membership
        fields = ["id", "user", "team", "role", "position", "active", "created_at", "updated_at"]
        read_only_fields = ["id", "user", "created_at", "updated_at"]


class MemberCreateSerializer(serializers.Serializer):
    """Create a person and their membership in one call."""

    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150, help_text="Letters, digits and @/./+/-/_ only.")
    display_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        default="",
        style={"input_type": "password"},
        help_text="Optional: without it the account exists but cannot log in.",
    )
    team = ReadableTeamField()
    role = serializers.ChoiceField(choices=Role.choices, default=Role.AGENT)
    position = serializers.ChoiceField(choices=Position.choices, required=False, allow_blank=True, default="")


class MemberUpdateSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    position = serializers.ChoiceField(choices=Position.choices, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)


class ShopSerializer(serializers.ModelSerializer):
    team = ReadableTeamField()

    class Meta:
        model = Shop
        fields = ["id", "team", "code", "name", "active", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class ResponsibilitySerializer(serializers.ModelSerializer):
    team = ReadableTeamField(help_text="The team that owns this question category.")
    owner = ReadableMemberField(allow_null=True, required=False, help_text="The person who answers it.")
    backup = ReadableMemberField(allow_null=True, required=False, help_text="Who answers when the owner is away.")

    class Meta:
        model = Responsibility
        fields = ["id", "team", "category", "description", "owner", "backup", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators = []  # (team, category) uniqueness is checked by the service, with a field name


class ShiftSerializer(serializers.ModelSerializer):
    team = ReadableTeamField()
    user = ReadableMemberField()

    class Meta:
        model = Shift
        fields = ["id", "team", "user", "date", "start_time", "end_time", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators = []  # one shift per person per day: checked by the service, with a field name


class MembershipSummarySerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["team", "team_name", "role", "position"]


class MeSerializer(serializers.ModelSerializer):
    # Plain text, not format "email": most floor staff have no address, and "" is not an email.
    email = serializers.CharField(read_only=True, help_text="Empty when the person has no address.")
    memberships = MembershipSummarySerializer(many=True, read_only=True, source="active_memberships")
    readable_team_ids = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    supervised_team_ids = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    managed_team_ids = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "email",
            "is_superuser",
            "memberships",
            "readable_team_ids",
            "supervised_team_ids",
            "managed_team_ids",
        ]
        read_only_fields = fields
