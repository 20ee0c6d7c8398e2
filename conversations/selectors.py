from django.db.models import Count, Prefetch, QuerySet

from conversations.models import Conversation, ImportJob, Message
from teams import policy


def conversation_list(*, user) -> QuerySet[Conversation]:
    """Conversations the user may read: their own, or all of the teams they supervise."""
    return policy.scope_queryset(
        user,
        Conversation.objects.select_related("agent", "shop", "team")
        .annotate(message_count=Count("messages"))
        .order_by("-started_at", "-id"),
        owner_field="agent",
    )


def conversation_detail(*, user, conversation_id: int) -> Conversation:
    messages = Message.objects.order_by("sent_at", "id")
    return (
        policy.scope_queryset(user, Conversation.objects.select_related("agent", "shop", "team"), owner_field="agent")
        .prefetch_related(Prefetch("messages", queryset=messages))
        .get(pk=conversation_id)
    )


def import_job_list(*, user) -> QuerySet[ImportJob]:
    return policy.scope_queryset(
        user, ImportJob.objects.select_related("team", "created_by"), owner_field="created_by"
    ).order_by("-created_at", "-id")
