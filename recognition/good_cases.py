"""Good cases (好的案例宣传): conversations marked as great service, shown on the team wall.

Who does what
- The supervisors and QA inspectors of the conversation's team (and the managers above it:
  policy.can_supervise_team) mark a conversation with a note, edit the note, unmark it and turn it into a
  knowledge-base article. Everyone else who reads the team sees the good cases (403 when they try to change
  one); people outside the team see nothing (404).
- A conversation is a good case at most once (GoodCase.conversation is one-to-one): marking it again raises
  GoodCaseAlreadyMarked, a ValidationError naming `conversation` that carries the existing good case.
- The link to the conversation is for those who may open it: the team's supervisors and its own agent.
- Turning a good case into an article writes a draft best-practice Article in the good case's team (the note,
  then the chat quoted without the customer's identifiers) and links it; asking again returns that article.
- The agent whose conversation it is gets a notification (once per good case).
"""

import re
import zoneinfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from conversations.models import Conversation, Sender
from notifications.services import Outgoing, notifications_send
from recognition.models import GoodCase
from teams import policy
from training.knowledge.services import article_create
from training.models import Article, ArticleKind, ArticleStatus

NOTE_MAX_LENGTH = 2000
ARTICLE_MAX_MESSAGES = 200
# What a customer may type that identifies them: e-mail addresses, and phone, order or account numbers
# (seven digits or more, possibly split by spaces or dashes).
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LONG_NUMBER = re.compile(r"(?<!\w)(?<!\d\.)\+?\d(?:[ -]?\d){6,}(?!\w|\.\d)")
_REDACTED = "[…]"


class GoodCaseAlreadyMarked(ValidationError):
    """The conversation is already a good case (`.good_case`)."""

    def __init__(self, good_case: GoodCase):
        super().__init__(
            {"conversation": _("This conversation is already a good case (#%(id)s).") % {"id": good_case.pk}}
        )
        self.good_case = good_case


def can_mark_good_case(user, team_id: int | None) -> bool:
    return policy.can_supervise_team(user, team_id)


def can_open_conversation(user, good_case: GoodCase) -> bool:
    """The same rule as the conversation pages: the team's supervisors, and the conversation's own agent."""
    access = policy.team_access(user)
    return good_case.team_id in access.readable and (
        good_case.team_id in access.supervised or good_case.conversation.agent_id == user.pk
    )


def _require_marker(actor, team_id: int) -> None:
    if not can_mark_good_case(actor, team_id):
        raise PermissionDenied(_("Only the team's supervisors and QA inspectors mark good cases."))


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what makes this conversation great service.")})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": _("A note has at most %(limit)s characters.") % {"limit": NOTE_MAX_LENGTH}})
    return note


# --- writes --------------------------------------------------------------------------------------


@transaction.atomic
def good_case_mark(*, actor, conversation: Conversation, note: str) -> GoodCase:
    """Mark a conversation as great service; its agent is notified."""
    _require_marker(actor, conversation.team_id)
    note = _clean_note(note)
    existing = GoodCase.objects.filter(conversation_id=conversation.pk).first()
    if existing is not None:
        raise GoodCaseAlreadyMarked(existing)
    try:
        with transaction.atomic():  # a concurrent mark of the same chat loses on the one-to-one constraint
            good_case = GoodCase.objects.create(
                team_id=conversation.team_id, conversation=conversation, marked_by=actor, note=note
            )
    except IntegrityError:
        raise GoodCaseAlreadyMarked(GoodCase.objects.get(conversation_id=conversation.pk)) from None
    if conversation.agent_id is not None and conversation.agent_id != actor.pk:
        notifications_send(
            outgoing=[
                Outgoing(
                    recipient_id=conversation.agent_id,
                    kind="good-case",
                    message=gettext_noop("%(actor)s shared your conversation as a good case: “%(note)s”"),
                    params={"actor": str(actor), "note": Truncator(note).chars(120)},
                    link=reverse("recognition-good-case-detail", args=[good_case.pk]),
                    dedupe_key=f"good-case:{good_case.pk}",
                )
            ]
        )
    return good_case


@transaction.atomic
def good_case_update(*, good_case: GoodCase, actor, note: str) -> GoodCase:
    _require_marker(actor, good_case.team_id)
    good_case.note = _clean_note(note)
    good_case.save(update_fields=["note", "updated_at"])
    return good_case


@transaction.atomic
def good_case_unmark(*, good_case: GoodCase, actor) -> None:
    """Take the mark off; an article written from it stays in the knowledge base."""
    _require_marker(actor, good_case.team_id)
    good_case.delete()


@transaction.atomic
def good_case_article_create(*, good_case: GoodCase, actor) -> tuple[Article, bool]:
    """The good case's knowledge-base article: written (a draft) the first time, the same one afterwards.

    Returns the article and whether it was written now.
    """
    _require_marker(actor, good_case.team_id)
    good_case = GoodCase.objects.select_for_update().select_related("team", "conversation").get(pk=good_case.pk)
    if good_case.article_id is not None:
        return Article.objects.get(pk=good_case.article_id), False
    article = article_create(
        team=good_case.team,
        actor=actor,
        title=_article_title(good_case),
        body=article_body(good_case),
        kind=ArticleKind.BEST_PRACTICE,
        status=ArticleStatus.DRAFT,
    )
    good_case.article = article
    good_case.save(update_fields=["article", "updated_at"])
    return article, True


# --- the article ---------------------------------------------------------------------------------


def _article_title(good_case: GoodCase) -> str:
    first_line = good_case.note.strip().splitlines()[0]
    return _("Good case: %(summary)s") % {"summary": Truncator(first_line).chars(120)}


def redact_customer(text: str, customer: str) -> str:
    """The text without the customer's id, e-mail addresses and long numbers (phone, order, account)."""
    if customer and len(customer.strip()) >= 3:
        text = re.sub(re.escape(customer.strip()), _REDACTED, text, flags=re.IGNORECASE)
    text = _EMAIL.sub(_REDACTED, text)
    return _LONG_NUMBER.sub(_REDACTED, text)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines() or [""])


def article_body(good_case: GoodCase) -> str:
    """Markdown: why it is great, then the chat quoted (agent, customer and bot turns; no customer identifiers)."""
    conversation = good_case.conversation
    zone = zoneinfo.ZoneInfo(good_case.team.timezone)
    speakers = {Sender.CUSTOMER: _("Customer"), Sender.AGENT: _("Agent"), Sender.BOT: _("Bot")}
    facts = [conversation.get_category_display()]
    if conversation.rating:
        facts.append(_("rated %(rating)s/5") % {"rating": conversation.rating})
    facts.append(conversation.started_at.astimezone(zone).strftime("%Y-%m-%d"))
    parts = [
        f"## {_('Why it is great')}",
        good_case.note.strip(),
        f"## {_('The conversation')}",
        f"*{' · '.join(str(fact) for fact in facts)}*",
    ]
    chat = conversation.messages.exclude(sender=Sender.SYSTEM).order_by("sent_at", "id")
    total = chat.count()
    for message in chat[:ARTICLE_MAX_MESSAGES]:
        heading = f"**{speakers[message.sender]}** · {message.sent_at.astimezone(zone):%H:%M}"
        text = redact_customer(message.text, conversation.customer)
        parts.append(_quote(f"{heading}\n{text}" if text.strip() else heading))
    if total > ARTICLE_MAX_MESSAGES:
        parts.append(_("(%(count)s more messages not quoted.)") % {"count": total - ARTICLE_MAX_MESSAGES})
    if total == 0:
        parts.append(_("(The conversation has no messages.)"))
    return "\n\n".join(parts) + "\n"


# --- reads ---------------------------------------------------------------------------------------


def good_case_list(*, user) -> QuerySet[GoodCase]:
    """Good cases of the teams the user reads (public within the team), newest first."""
    return policy.scope_queryset(
        user,
        GoodCase.objects.select_related(
            "team", "conversation", "conversation__agent", "conversation__shop", "marked_by", "article"
        ),
    ).order_by("-created_at", "-id")


def good_case_wall(*, user, team_id: int, limit: int = 5) -> list[GoodCase]:
    """The team's latest good cases for the wall; each has `viewer_can_open` (may the user open the chat)."""
    cases = list(good_case_list(user=user).filter(team_id=team_id)[:limit])
    for good_case in cases:
        good_case.viewer_can_open = can_open_conversation(user, good_case)
    return cases


def conversation_to_mark(*, user, conversation_id: int) -> Conversation:
    """A conversation of a team the user reads (DoesNotExist otherwise); whether they may mark it is separate."""
    readable = policy.team_access(user).readable
    return Conversation.objects.select_related("team", "agent", "shop").get(pk=conversation_id, team_id__in=readable)
