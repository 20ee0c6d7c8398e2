"""Cases: a bad review or a complaint worked through in the 三现 form.

现场 (the place): the conversation itself. 现物 (the actual things): rating, buyer id, the customer's
comment, evidence. 现实 (the facts): responsible person, root cause, meeting notes, lesson learned. Then
one 5W2H action (a plans Task) and, once closed or whenever the lesson is written, training material.

Who does what
- The team's supervisors, QA inspectors and managers (policy.can_supervise_team) open, edit, act on,
  close and turn cases into training material.
- The responsible person reads their own cases: the chat, the 现物, root cause, lesson learned and the
  action; not the meeting notes (AGENT_HIDDEN_FIELDS), which record what supervisors and QA discussed,
  possibly about colleagues. They change nothing (403). Other agents and outsiders see nothing (404).

One case per review and per complaint, ever: opening a second one raises CaseAlreadyOpen, a
ValidationError naming `review` or `complaint` that carries the existing case, so a page can send the
user to it. Only submitted reviews become cases (not drafts, not blind calibration scores).

Training link point (for the training issue)
--------------------------------------------
Dependencies point training -> qa_reviews, so this module never imports training.
`case_turn_into_training()` needs a lesson learned, sets `training_requested_at`, then sends
`qa_reviews.signals.case_training_requested` (sender=Case, case=, actor=) inside its transaction and
returns what the receivers returned. The training app connects one receiver (in AppConfig.ready) that:
- writes a knowledge-base article from the case's title, root cause and lesson, linked back to the case,
  upserting by case: the signal is sent again when someone repeats the action after editing the lesson,
  and must refresh the same article, not add another;
- returns the article; an object with `get_absolute_url()` is linked from the case page (right after the
  action) and returned by the API as `training_material`;
- raises to refuse: everything rolls back, `training_requested_at` included.
While nothing is connected (`has_listeners()` is false) the page hides the "Turn into training material"
button and the service raises NoTrainingReceiver (the API answers 409).
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from conversations.models import Message
from notifications.services import Outgoing, notifications_send
from plans.services import task_create
from qa_reviews.models import Case, CaseStatus, Complaint, Review, ReviewStatus
from qa_reviews.signals import case_training_requested
from teams import policy
from teams.models import Membership, Team

# The 现物 and 现实 fields (and the title and chat) that people write; everything else has its own service.
CASE_FIELDS = (
    "title",
    "conversation",
    "rating",
    "buyer_id",
    "customer_comment",
    "evidence",
    "evidence_file",
    "responsible",
    "root_cause",
    "meeting_notes",
    "lesson_learned",
)
_FOREIGN_KEYS = ("conversation", "responsible")
# What the responsible agent may not read of their own case.
AGENT_HIDDEN_FIELDS = frozenset({"meeting_notes"})
EVIDENCE_FILE_MAX_BYTES = 10 * 1024 * 1024


class CaseAlreadyOpen(ValidationError):
    """The review or complaint already has its case (`.case`)."""

    def __init__(self, field: str, case: Case):
        message = (
            _("This review already has a case: #%(id)s “%(title)s”.")
            if field == "review"
            else _("This complaint already has a case: #%(id)s “%(title)s”.")
        )
        super().__init__({field: message % {"id": case.pk, "title": case.title}})
        self.case = case


class NoTrainingReceiver(Exception):
    """Nothing (no training app) is connected to turn a case's lesson into training material."""


def can_work_on_case(user, case: Case) -> bool:
    """Supervisors, QA inspectors and managers of the case's team; they also read the meeting notes."""
    return policy.can_supervise_team(user, case.team_id)


def _require_case_worker(actor, team_id: int) -> None:
    if not policy.can_supervise_team(actor, team_id):
        raise PermissionDenied(_("Only the team's supervisors and QA inspectors work on its cases."))


def _is_active_member(team_id: int, user_id: int | None) -> bool:
    return user_id is not None and Membership.objects.filter(team_id=team_id, user_id=user_id, active=True).exists()


def _check_field_names(fields: dict, allowed: Iterable[str]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})


def _validate(case: Case, *, new_evidence_file=None) -> None:
    """The rules a case keeps, with messages that name the field; then the model's own checks."""
    errors = {}
    if not case.title.strip():
        errors["title"] = _("Give the case a title.")
    if case.conversation_id is not None and case.conversation.team_id != case.team_id:
        errors["conversation"] = _("This conversation belongs to another team.")
    if case.review_id is not None and case.conversation_id != case.review.conversation_id:
        errors["conversation"] = _("A case opened from a review keeps the reviewed conversation.")
    if case.responsible_id is not None and not _is_active_member(case.team_id, case.responsible_id):
        errors["responsible"] = _("The responsible person must be an active member of the team.")
    if case.rating is not None and not 1 <= case.rating <= 5:
        errors["rating"] = _("A rating is 1 to 5.")
    if new_evidence_file and new_evidence_file.size > EVIDENCE_FILE_MAX_BYTES:
        errors["evidence_file"] = _("The evidence file may be at most 10 MB.")
    if errors:
        raise ValidationError(errors)
    # Only what people write: a case whose opener left (opened_by emptied) must stay editable.
    case.full_clean(exclude=[field.name for field in Case._meta.fields if field.name not in CASE_FIELDS])


def _create(*, team: Team, actor, fields: dict, review: Review | None = None, complaint=None) -> Case:
    case = Case(team=team, review=review, complaint=complaint, opened_by=actor)
    fields = {name: value for name, value in fields.items() if name != "evidence_file" or value}
    for name, value in fields.items():
        setattr(case, name, value)
    case.title = case.title[: Case._meta.get_field("title").max_length]
    _validate(case, new_evidence_file=fields.get("evidence_file"))
    case.save()
    return case


def _responsible_from(conversation, team_id: int):
    """The chat's agent, if still an active member of the team (someone who left cannot answer for it)."""
    if conversation is None or not _is_active_member(team_id, conversation.agent_id):
        return None
    return conversation.agent


@transaction.atomic
def case_open(*, team: Team, actor, **fields) -> Case:
    """Open a case from scratch; with a conversation, its rating, customer and agent fill the blanks."""
    _require_case_worker(actor, team.pk)
    _check_field_names(fields, CASE_FIELDS)
    conversation = fields.get("conversation")
    if conversation is not None:
        fields.setdefault("rating", conversation.rating)
        fields.setdefault("buyer_id", conversation.customer)
        if "responsible" not in fields and conversation.team_id == team.pk:
            fields["responsible"] = _responsible_from(conversation, team.pk)
    return _create(team=team, actor=actor, fields=fields)


@transaction.atomic
def case_open_from_review(*, review: Review, actor, **fields) -> Case:
    """Open the case of a submitted review, pre-filled from its chat; `fields` override the pre-filled values."""
    _require_case_worker(actor, review.team_id)
    _check_field_names(fields, set(CASE_FIELDS) - {"conversation"})
    review = Review.objects.select_for_update().get(pk=review.pk)  # two clicks make one case
    if review.calibration_id is not None or review.status == ReviewStatus.DRAFT:
        raise ValidationError(
            {"review": _("Only a submitted review becomes a case (not a draft or calibration score).")}
        )
    existing = Case.objects.filter(review=review).first()
    if existing is not None:
        raise CaseAlreadyOpen("review", existing)
    conversation = review.conversation
    total = _("auto-failed") if review.auto_failed else str(review.total if review.total is not None else "—")
    prefilled = {
        "title": _("QA review %(total)s: %(conversation)s") % {"total": total, "conversation": conversation},
        "conversation": conversation,
        "rating": conversation.rating,
        "buyer_id": conversation.customer,
        "responsible": review.agent if _is_active_member(review.team_id, review.agent_id) else None,
    }
    return _create(team=review.team, actor=actor, review=review, fields={**prefilled, **fields})


@transaction.atomic
def case_open_from_complaint(*, complaint: Complaint, actor, **fields) -> Case:
    """Open the case of a complaint: its customer and details, and its chat when it has one."""
    _require_case_worker(actor, complaint.team_id)
    _check_field_names(fields, CASE_FIELDS)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    existing = Case.objects.filter(complaint=complaint).first()
    if existing is not None:
        raise CaseAlreadyOpen("complaint", existing)
    conversation = complaint.conversation
    prefilled = {
        "title": complaint.summary,
        "conversation": conversation,
        "rating": conversation.rating if conversation else None,
        "buyer_id": complaint.customer,
        "customer_comment": complaint.details or complaint.summary,
        "responsible": _responsible_from(conversation, complaint.team_id),
    }
    return _create(team=complaint.team, actor=actor, complaint=complaint, fields={**prefilled, **fields})


def _require_not_closed(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError({"status": _("This case is closed; its record no longer changes.")})


@transaction.atomic
def case_update(*, case: Case, actor, **fields) -> Case:
    """Write the 现物 and 现实 of an open case. A falsy `evidence_file` removes the file from the case."""
    _require_case_worker(actor, case.team_id)
    _check_field_names(fields, CASE_FIELDS)
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_not_closed(case)
    changed = []
    for name, value in fields.items():
        if name in _FOREIGN_KEYS:
            is_change = getattr(case, f"{name}_id") != (value.pk if value is not None else None)
        elif name == "evidence_file":
            value = value or ""
            is_change = bool(value) or bool(case.evidence_file)
        else:
            is_change = getattr(case, name) != value
        if is_change:
            setattr(case, name, value)
            changed.append(name)
    if changed:
        _validate(case, new_evidence_file=fields.get("evidence_file"))
        case.save(update_fields=[*changed, "updated_at"])
    return case


@transaction.atomic
def case_action_create(
    *,
    case: Case,
    actor,
    what: str,
    due_at: dt.datetime,
    assignees: list,
    why: str = "",
    where: str = "",
    how: str = "",
    how_much=None,
    how_much_unit: str = "",
) -> Case:
    """Give the case its one 5W2H action: a plans Task for team members, its why taken from the root cause."""
    _require_case_worker(actor, case.team_id)
    case = Case.objects.select_for_update().select_related("team").get(pk=case.pk)
    _require_not_closed(case)
    if case.action_task_id is not None:
        raise ValidationError(
            {"action_task": _("This case already has its action (task #%(id)s).") % {"id": case.action_task_id}}
        )
    why = why.strip() or case.root_cause.strip()
    if not why:
        raise ValidationError({"why": _("Say why, or write the case's root cause first: it becomes the why.")})
    case.action_task = task_create(
        team=case.team,
        creator=actor,
        what=what,
        why=why,
        due_at=due_at,
        assignees=list(assignees),
        where=where,
        how=how,
        how_much=how_much,
        how_much_unit=how_much_unit,
    )
    case.status = CaseStatus.ACTION
    case.save(update_fields=["action_task", "status", "updated_at"])
    return case


@transaction.atomic
def case_close(*, case: Case, actor) -> Case:
    """Close a case once its root cause and lesson are written; the responsible person is told."""
    _require_case_worker(actor, case.team_id)
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_not_closed(case)
    missing = {}
    if not case.root_cause.strip():
        missing["root_cause"] = _("Write the root cause before closing the case.")
    if not case.lesson_learned.strip():
        missing["lesson_learned"] = _("Write the lesson learned before closing the case.")
    if missing:
        raise ValidationError(missing)
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at", "updated_at"])
    if case.responsible_id is not None:
        notifications_send(
            outgoing=[
                Outgoing(
                    recipient_id=case.responsible_id,
                    kind="qa-case-closed",
                    message=gettext_noop("The case “%(title)s” is closed: read its lesson."),
                    params={"title": case.title},
                    link=reverse("qa-case-detail", args=[case.pk]),
                    dedupe_key=f"qa-case-closed:{case.pk}",
                )
            ]
        )
    return case


def training_receivers_connected() -> bool:
    return case_training_requested.has_listeners(sender=Case)


@transaction.atomic
def case_turn_into_training(*, case: Case, actor) -> list:
    """Hand the case's lesson to the training app (see the module docstring); returns the receivers' results."""
    _require_case_worker(actor, case.team_id)
    if not training_receivers_connected():
        raise NoTrainingReceiver(_("Nothing is connected to receive training material yet (no training app)."))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.lesson_learned.strip():
        raise ValidationError({"lesson_learned": _("Write the lesson learned first: it is what the training teaches.")})
    case.training_requested_at = timezone.now()
    case.save(update_fields=["training_requested_at", "updated_at"])
    responses = case_training_requested.send(sender=Case, case=case, actor=actor)
    return [result for _receiver, result in responses]


def training_material_links(results: Iterable) -> list[tuple[str, str]]:
    """(label, url) of each receiver result that can be linked to."""
    return [(str(result), result.get_absolute_url()) for result in results if hasattr(result, "get_absolute_url")]


# Selectors


def case_list(*, user) -> QuerySet[Case]:
    """Cases of the teams the user supervises (supervisors, QA, managers); an agent's own as responsible."""
    access = policy.team_access(user)
    visible = Q(team_id__in=access.supervised)
    if user.pk is not None:
        visible |= Q(responsible_id=user.pk, team_id__in=access.readable)
    return (
        Case.objects.filter(visible)
        .select_related("team", "responsible", "opened_by", "conversation", "review", "complaint", "action_task")
        .order_by("-created_at", "-id")
    )


def case_detail(*, user, case_id: int) -> Case:
    """One visible case with its chat transcript and its action's assignees. Raises Case.DoesNotExist."""
    return (
        case_list(user=user)
        .select_related("conversation__agent")
        .prefetch_related(
            Prefetch("conversation__messages", queryset=Message.objects.order_by("sent_at", "id")),
            "action_task__assignees",
        )
        .get(pk=case_id)
    )


def case_of_review(review: Review) -> Case | None:
    return Case.objects.filter(review=review).only("pk", "title").first()
