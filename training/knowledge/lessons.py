"""A QA case's lesson as a knowledge-base article ("turn into training material").

The article is the case in the 三现 form, in Markdown: 现场 links to the conversation; 现物 gives the rating,
the buyer and the customer's comment; 现实 gives the root cause and the lesson learned. Never the meeting
notes (what supervisors and QA discussed, which agents may not read), the evidence or the responsible
person's name: the article is read by the whole team.
"""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from qa_reviews.models import Case
from training.knowledge import services
from training.models import Article, ArticleKind, ArticleStatus

_TITLE_MAX_LENGTH = Article._meta.get_field("title").max_length


def lesson_title(case: Case) -> str:
    title = _("Lesson: %(title)s") % {"title": " ".join(case.title.split())}
    return title[: _TITLE_MAX_LENGTH - 1] + "…" if len(title) > _TITLE_MAX_LENGTH else title


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines())


def lesson_body(case: Case) -> str:
    """The case as Markdown, in the language active now (the one of whoever turned it into training)."""
    parts = [f"## 现场 · {_('The chat')}"]
    if case.conversation_id is not None:
        url = reverse("conversation-detail", args=[case.conversation_id])
        parts.append(f"[{_('Conversation %(name)s') % {'name': case.conversation}}]({url})")
    else:
        parts.append(_("No conversation is attached to the case."))
    parts.append(f"## 现物 · {_('What the customer experienced')}")
    facts = []
    if case.rating is not None:
        facts.append(f"- **{_('Rating')}**: {case.rating} / 5")
    if case.buyer_id.strip():
        facts.append(f"- **{_('Buyer')}**: {case.buyer_id.strip()}")
    parts.append("\n".join(facts) if facts else _("No rating or buyer recorded."))
    if case.customer_comment.strip():
        parts.append(f"**{_('Customer comment')}**\n\n{_quote(case.customer_comment)}")
    parts.append(f"## 现实 · {_('What happened and what we learned')}")
    if case.root_cause.strip():
        parts.append(f"### {_('Root cause')}\n\n{case.root_cause.strip()}")
    parts.append(f"### {_('Lesson learned')}\n\n{case.lesson_learned.strip()}")
    return "\n\n".join(parts) + "\n"


@transaction.atomic
def article_from_case(*, case: Case, actor) -> Article:
    """Write the case's lesson article, or refresh it (a new version) when the case already has one.

    A new article is a draft "lesson" of the case's team. A refreshed one keeps its status, except an
    archived one, which goes back to draft so that an author looks at the new lesson before it shows.
    """
    title, body = lesson_title(case), lesson_body(case)
    article = Article.objects.select_for_update().filter(source_case=case).first()
    if article is None:
        return services.article_create(
            team=case.team, actor=actor, title=title, body=body, kind=ArticleKind.LESSON, source_case=case
        )
    fields = {"title": title, "body": body}
    if article.status == ArticleStatus.ARCHIVED:
        fields["status"] = ArticleStatus.DRAFT
    return services.article_update(article=article, actor=actor, **fields)
