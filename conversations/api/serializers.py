from rest_framework import serializers

from conversations.models import Conversation, ImportJob, Message


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = ["id", "external_id", "sender", "sent_at", "text"]


class ConversationSerializer(serializers.ModelSerializer):
    agent = serializers.SlugRelatedField(slug_field="username", read_only=True)
    shop = serializers.SlugRelatedField(slug_field="code", read_only=True)
    message_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Conversation
        fields = [
            "id",
            "source",
            "external_id",
            "team",
            "agent",
            "shop",
            "channel",
            "customer",
            "category",
            "started_at",
            "closed_at",
            "resolved",
            "rating",
            "ordered",
            "order_amount",
            "message_count",
            "personal_data_removed_at",
        ]
        read_only_fields = fields


class ConversationDetailSerializer(ConversationSerializer):
    messages = MessageSerializer(many=True, read_only=True)

    class Meta(ConversationSerializer.Meta):
        fields = [*ConversationSerializer.Meta.fields, "messages"]
        read_only_fields = fields


class IngestErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(allow_null=True, help_text="Position of the item in the batch.")
    field = serializers.CharField(help_text="Field path, e.g. messages[2].sent_at; empty for the whole item.")
    message = serializers.CharField()


class BulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = IngestErrorSerializer(many=True)


class ImportJobSerializer(serializers.ModelSerializer):
    progress_percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "team",
            "source",
            "format",
            "encoding",
            "original_name",
            "status",
            "rows_total",
            "rows_done",
            "progress_percent",
            "created_count",
            "updated_count",
            "unchanged_count",
            "errors",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields
