"""Complaints: recording them with a first-response SLA, moving them through their statuses, and the SLA watch.

Decisions, so the pages, the API and the tests agree:

- Statuses move new → responding → resolved → closed. A resolved complaint may be reopened (back to
  responding, with a note saying why). new → resolved is allowed for a complaint settled in its first
  answer; it counts as the first response. Closed is final.
- The SLA is the first response: answering (responding or resolved) stops the clock. An answer after the
  due time records the breach at once, so "breached" means the promise was missed even if the watch job
  had not run yet. The watch job (complaints_flag_sla_breaches) flags the unanswered ones and notifies.
- Who records: any active member of the team (agents record what they receive) and its supervisors, QA
  inspectors and managers. Who handles (transitions, follow-up, edits): the owner and the team's
  supervisors, QA inspectors and managers; only the latter hand a complaint to another owner.
- Who sees (complaint_list): supervisors, QA inspectors and managers every complaint of the teams they
  supervise; an agent those of their team they own or recorded; nobody else any.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from conversations.models import Conversation
from core.services import model_update
from notifications.services import Outgoing, notifications_send
from qa_reviews.models import (
    Complaint,
    ComplaintCategory,
    ComplaintPolicy,
    ComplaintPriority,
    ComplaintStatus,
    ComplaintStatusChange,
)
from teams import policy
from teams.models import Membership, Role, Team

NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    ComplaintStatus.NEW: (ComplaintStatus.RESPONDING, ComplaintStatus.RESOLVED),
    ComplaintStatus.RESPONDING: (ComplaintStatus.RESOLVED,),
    ComplaintStatus.RESOLVED: (ComplaintStatus.CLOSED, ComplaintStatus.RESPONDING),
    ComplaintStatus.CLOSED: (),
}
ANSWERED_STATUSES = (ComplaintStatus.RESPONDING, ComplaintStatus.RESOLVED)
FOLLOW_UP_STATUSES = (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED)
DESCRIPTIVE_FIELDS = ("summary", "details", "category", "priority", "channel", "customer", "conversation")
MAX_SLA_MINUTES = 7 * 24 * 60
# A client clock a little ahead of ours is not a complaint from the future.
RECEIVED_AT_CLOCK_SKEW = dt.timedelta(minutes=5)
SLA_WATCH_BATCH = 500


# Reads ------------------------------------------------------------------------------------------------


def complaint_list(user) -> QuerySet[Complaint]:
    """The complaints the user may see (see the module docstring), newest first."""
    access = policy.team_access(user)
    own = Q(owner_id=user.pk) | Q(created_by_id=user.pk)
    visible = Q(team_id__in=access.supervised) | (Q(team_id__in=access.readable) & own)
    return (
        Complaint.objects.filter(visible)
        .select_related("team", "owner", "created_by", "conversation")
        .order_by("-received_at", "-id")
    )


def complaint_detail(user, complaint_id: int) -> Complaint:
    """One visible complaint with its status history; Complaint.DoesNotExist otherwise."""
    history = ComplaintStatusChange.objects.select_related("changed_by").order_by("changed_at", "id")
    return complaint_list(user).prefetch_related(Prefetch("history", queryset=history)).get(pk=complaint_id)


def complaint_slas(teams: list[Team]) -> dict[int, tuple[int, str]]:
    """For each team, the first-response minutes its new complaints get and where they come from: "team" (its
    own policy), "department" (its parent's) or "default". One query, whatever the number of teams."""
    minutes = dict(
        ComplaintPolicy.objects.filter(
            team_id__in={team.pk for team in teams} | {team.parent_id for team in teams if team.parent_id}
        ).values_list("team_id", "first_response_minutes")
    )
    slas = {}
    for team in teams:
        if team.pk in minutes:
            slas[team.pk] = (minutes[team.pk], "team")
        elif team.parent_id in minutes:
            slas[team.pk] = (minutes[team.parent_id], "department")
        else:
            slas[team.pk] = (ComplaintPolicy.DEFAULT_FIRST_RESPONSE_MINUTES, "default")
    return slas


def complaint_sla(team: Team) -> tuple[int, str]:
    return complaint_slas([team])[team.pk]


def complaint_may_handle(user, complaint: Complaint) -> bool:
    if policy.can_supervise_team(user, complaint.team_id):
        return True
    return (
        complaint.owner_id is not None
        and complaint.owner_id == user.pk
        and policy.can_read_team(user, complaint.team_id)
    )


def complaint_recording_teams(user) -> QuerySet[Team]:
    """Teams the user may record complaints for: those they are an active member of, and those they supervise."""
    member_of = Membership.objects.filter(user_id=user.pk, active=True).values("team_id")
    return Team.objects.filter(Q(id__in=member_of) | Q(id__in=policy.team_access(user).supervised)).order_by("name")


class ComplaintFilter(django_filters.FilterSet):
    """The filters of the complaints list, shared by the API and the page."""

    team = django_filters.NumberFilter(field_name="team_id")
    owner = django_filters.NumberFilter(field_name="owner_id", help_text="User id of the owner.")
    conversation = django_filters.NumberFilter(field_name="conversation_id")
    status = django_filters.ChoiceFilter(choices=ComplaintStatus.choices)
    priority = django_filters.ChoiceFilter(choices=ComplaintPriority.choices)
    category = django_filters.ChoiceFilter(choices=ComplaintCategory.choices)
    breached = django_filters.BooleanFilter(
        method="filter_breached", help_text="true: the first-response SLA was missed; false: it was not (yet)."
    )

    class Meta:
        model = Complaint
        fields = ["team", "owner", "conversation", "status", "priority", "category", "breached"]

    def filter_breached(self, queryset, name, value):
        return queryset.filter(sla_breached_at__isnull=not value)


def complaints_filtered(queryset: QuerySet[Complaint], params: Mapping) -> QuerySet[Complaint]:
    """Apply the list filters from query parameters; invalid values are ignored, as on the other list pages."""
    filterset = ComplaintFilter(params, queryset=queryset)
    if filterset.is_valid():
        return filterset.qs
    valid = {name: value for name, value in params.items() if name not in filterset.errors}
    return ComplaintFilter(valid, queryset=queryset).qs


# Writes -----------------------------------------------------------------------------------------------


def _is_active_member(user, team_id: int) -> bool:
    return Membership.objects.filter(user_id=user.pk, team_id=team_id, active=True).exists()


def _check_owner(owner, team_id: int) -> None:
    if not _is_active_member(owner, team_id):
        raise ValidationError({"owner": _("%(name)s is not an active member of the team.") % {"name": owner}})


def _check_conversation(conversation: Conversation | None, team_id: int) -> None:
    if conversation is not None and conversation.team_id != team_id:
        raise ValidationError({"conversation": _("This conversation belongs to another team.")})


def _link(complaint: Complaint) -> str:
    return reverse("complaint-detail", args=[complaint.pk])


def _notify_owner(complaint: Complaint, actor) -> None:
    if complaint.owner_id is None or complaint.owner_id == actor.pk:
        return  # nobody needs telling about a complaint they just took themselves
    notifications_send(
        outgoing=[
            Outgoing(
                recipient_id=complaint.owner_id,
                kind="complaint-assigned",
                message=gettext_noop("A complaint is yours to answer by %(due)s: %(summary)s"),
                params={
                    "due": timezone.localtime(complaint.first_response_due_at).strftime("%Y-%m-%d %H:%M"),
                    "summary": complaint.summary,
                },
                link=_link(complaint),
                dedupe_key=f"complaint-assigned:{complaint.pk}:{complaint.owner_id}",
            )
        ]
    )


@transaction.atomic
def complaint_create(
    *,
    team: Team,
    actor,
    summary: str,
    category: str,
    customer: str,
    details: str = "",
    priority: str = ComplaintPriority.NORMAL,
    channel: str = "",
    owner=None,
    conversation: Conversation | None = None,
    received_at: dt.datetime | None = None,
) -> Complaint:
    """Record a complaint. Its SLA comes from the team's policy now; the owner (the recorder when they are a
    member and no one else is named) is notified."""
    if not (policy.can_supervise_team(actor, team.pk) or _is_active_member(actor, team.pk)):
        raise PermissionDenied(_("Only the team's members and supervisors record its complaints."))
    if owner is None:
        if not _is_active_member(actor, team.pk):
            raise ValidationError({"owner": _("Choose who answers the complaint.")})
        owner = actor
    _check_owner(owner, team.pk)
    _check_conversation(conversation, team.pk)
    now = timezone.now()
    received_at = received_at or now
    if received_at > now + RECEIVED_AT_CLOCK_SKEW:
        raise ValidationError({"received_at": _("A complaint cannot be received in the future.")})
    sla_minutes, _source = complaint_sla(team)
    complaint = Complaint(
        team=team,
        conversation=conversation,
        summary=summary,
        details=details,
        category=category,
        priority=priority,
        channel=channel,
        customer=customer,
        owner=owner,
        received_at=received_at,
        sla_minutes=sla_minutes,
        first_response_due_at=received_at + dt.timedelta(minutes=sla_minutes),
        created_by=actor,
    )
    complaint.full_clean()
    complaint.save()
    ComplaintStatusChange.objects.create(
        complaint=complaint, from_status="", to_status=complaint.status, changed_by=actor
    )
    _notify_owner(complaint, actor)
    return complaint


def _locked_for_handling(complaint: Complaint, actor) -> Complaint:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if not complaint_may_handle(actor, complaint):
        raise PermissionDenied(_("Only the complaint's owner and the team's supervisors and QA inspectors handle it."))
    return complaint


@transaction.atomic
def complaint_update(*, complaint: Complaint, actor, data: dict) -> Complaint:
    """Change the descriptive fields, or (supervisors and QA) hand the complaint to another owner.
    The SLA and the times are not editable: they are the record of what happened."""
    complaint = _locked_for_handling(complaint, actor)
    if complaint.status == ComplaintStatus.CLOSED:
        raise ValidationError({"status": _("A closed complaint cannot be changed.")})
    if "conversation" in data:
        _check_conversation(data["conversation"], complaint.team_id)
    previous_owner_id = complaint.owner_id
    fields = list(DESCRIPTIVE_FIELDS)
    if "owner" in data and getattr(data["owner"], "pk", None) != previous_owner_id:
        if not policy.can_supervise_team(actor, complaint.team_id):
            raise PermissionDenied(_("Only the team's supervisors and QA inspectors hand a complaint to someone else."))
        if data["owner"] is None:
            raise ValidationError({"owner": _("Choose who answers the complaint.")})
        _check_owner(data["owner"], complaint.team_id)
        fields.append("owner")
    complaint, _changed = model_update(instance=complaint, fields=fields, data=data)
    if complaint.owner_id != previous_owner_id:
        _notify_owner(complaint, actor)
    return complaint


@transaction.atomic
def complaint_transition(*, complaint: Complaint, actor, to_status: str, note: str = "") -> Complaint:
    """Move the complaint on (see NEXT_STATUSES); every move is kept in its history."""
    complaint = _locked_for_handling(complaint, actor)
    if to_status not in ComplaintStatus.values:
        raise ValidationError({"status": _("“%(status)s” is not a complaint status.") % {"status": to_status}})
    if to_status not in NEXT_STATUSES[complaint.status]:
        raise ValidationError(
            {
                "status": _("A complaint that is %(current)s cannot become %(target)s.")
                % {"current": complaint.get_status_display(), "target": ComplaintStatus(to_status).label}
            }
        )
    reopening = complaint.status == ComplaintStatus.RESOLVED and to_status == ComplaintStatus.RESPONDING
    if reopening and not note.strip():
        raise ValidationError({"note": _("Say why the complaint is reopened.")})
    now = timezone.now()
    changed_fields = ["status", "updated_at"]
    if to_status in ANSWERED_STATUSES and complaint.first_responded_at is None:
        complaint.first_responded_at = now
        changed_fields.append("first_responded_at")
        if now > complaint.first_response_due_at and complaint.sla_breached_at is None:
            complaint.sla_breached_at = now  # answered late, before the watch job saw it
            changed_fields.append("sla_breached_at")
    if to_status == ComplaintStatus.RESOLVED:
        complaint.resolved_at = now
        changed_fields.append("resolved_at")
    elif reopening:
        complaint.resolved_at = None
        changed_fields.append("resolved_at")
    elif to_status == ComplaintStatus.CLOSED:
        complaint.closed_at = now
        changed_fields.append("closed_at")
    from_status = complaint.status
    complaint.status = to_status
    complaint.save(update_fields=changed_fields)
    ComplaintStatusChange.objects.create(
        complaint=complaint, from_status=from_status, to_status=to_status, changed_by=actor, note=note
    )
    return complaint


@transaction.atomic
def complaint_follow_up(*, complaint: Complaint, actor, satisfaction: int) -> Complaint:
    """Record how satisfied the customer was when asked after the resolution (1-5); asking again replaces it."""
    complaint = _locked_for_handling(complaint, actor)
    if complaint.status not in FOLLOW_UP_STATUSES:
        raise ValidationError({"satisfaction": _("Ask about satisfaction once the complaint is resolved.")})
    if isinstance(satisfaction, bool) or not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5:
        raise ValidationError({"satisfaction": _("Satisfaction is a whole number from 1 to 5.")})
    complaint.follow_up_satisfaction = satisfaction
    complaint.save(update_fields=["follow_up_satisfaction", "updated_at"])
    return complaint


@transaction.atomic
def complaint_policy_set(*, team: Team, actor, minutes: int) -> ComplaintPolicy:
    """Set the team's first-response SLA. Complaints already recorded keep the SLA they were given."""
    if not policy.can_manage_team(actor, team.pk):
        raise PermissionDenied(_("Only the team's supervisors and managers set its complaint SLA."))
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_SLA_MINUTES:
        raise ValidationError(
            {"first_response_minutes": _("The first response SLA is 1 to %(max)s minutes.") % {"max": MAX_SLA_MINUTES}}
        )
    complaint_policy, _created = ComplaintPolicy.objects.update_or_create(
        team=team, defaults={"first_response_minutes": minutes}
    )
    return complaint_policy


def complaints_flag_sla_breaches(*, now: dt.datetime | None = None) -> int:
    """Flag every unanswered new complaint past its first-response due time, once, and notify its owner and
    the team's supervisors. Returns how many were flagged.

    Safe with several workers at once: each batch locks the rows it claims (SKIP LOCKED lets another worker
    take different rows instead of waiting), the UPDATE re-checks that a row is still unflagged, and the
    notifications commit with the flags, deduplicated per complaint and person.
    """
    now = now or timezone.now()
    flagged_total = 0
    while True:
        with transaction.atomic():
            claimed = list(
                Complaint.objects.filter(
                    status=ComplaintStatus.NEW,
                    first_responded_at__isnull=True,
                    sla_breached_at__isnull=True,
                    first_response_due_at__lt=now,
                )
                .order_by("first_response_due_at", "id")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:SLA_WATCH_BATCH]
            )
            if not claimed:
                return flagged_total
            flagged = Complaint.objects.filter(pk__in=claimed, sla_breached_at__isnull=True).update(
                sla_breached_at=now, updated_at=now
            )
            flagged_total += flagged
            _notify_sla_breaches(claimed)
        if len(claimed) < SLA_WATCH_BATCH:
            return flagged_total


def _notify_sla_breaches(complaint_ids: list[int]) -> int:
    complaints = list(Complaint.objects.filter(pk__in=complaint_ids).only("pk", "team_id", "owner_id", "summary"))
    supervisors_of: dict[int, set[int]] = defaultdict(set)
    for team_id, user_id in Membership.objects.filter(
        team_id__in={complaint.team_id for complaint in complaints}, role=Role.SUPERVISOR, active=True
    ).values_list("team_id", "user_id"):
        supervisors_of[team_id].add(user_id)
    outgoing = []
    for complaint in complaints:
        recipients = set(supervisors_of[complaint.team_id])
        if complaint.owner_id is not None:
            recipients.add(complaint.owner_id)
        outgoing += [
            Outgoing(
                recipient_id=user_id,
                kind="complaint-sla",
                message=gettext_noop("Complaint not answered within its SLA: %(summary)s"),
                params={"summary": complaint.summary},
                link=_link(complaint),
                dedupe_key=f"complaint-sla:{complaint.pk}:{user_id}",
            )
            for user_id in sorted(recipients)
        ]
    return notifications_send(outgoing=outgoing)
