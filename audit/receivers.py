"""What the other apps do that the audit log keeps: logins, role changes, QA scores and dispute outcomes,
awards, finished imports (refusals and exports come from audit.middleware). Connected in AuditConfig.ready."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from audit.context import current_actor, current_ip
from audit.models import AuditAction, AuditResult
from audit.services import audit_record, home_team_id
from conversations.models import ImportJob, ImportStatus
from core.auth import client_ip
from qa_reviews.models import ReviewChange, ReviewStatus
from recognition.models import Award
from teams.models import Membership

FINISHED = {ImportStatus.SUCCEEDED, ImportStatus.FAILED}


def _ip(request) -> str | None:
    return client_ip(request) if request is not None else current_ip()


@receiver(user_logged_in, dispatch_uid="audit.login")
def logged_in(sender, request, user, **kwargs) -> None:
    audit_record(AuditAction.LOGIN, actor=user, team_id=home_team_id(user), obj=user, ip=_ip(request))


@receiver(user_logged_out, dispatch_uid="audit.logout")
def logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(AuditAction.LOGOUT, actor=user, team_id=home_team_id(user), obj=user, ip=_ip(request))


@receiver(user_login_failed, dispatch_uid="audit.login_failed")
def login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    person = get_user_model().objects.filter(username=username).first()
    audit_record(
        AuditAction.LOGIN_FAILED,
        actor_name=username,
        team_id=home_team_id(person),
        result=AuditResult.FAILED,
        summary=username,
        ip=_ip(getattr(request, "_request", request)),
    )


@receiver(user_locked_out, dispatch_uid="audit.login_locked")
def login_locked(sender, request, username, ip_address, **kwargs) -> None:
    person = get_user_model().objects.filter(username=username).first()
    audit_record(
        AuditAction.LOGIN_LOCKED,
        actor_name=str(username or "")[:150],
        team_id=home_team_id(person),
        result=AuditResult.DENIED,
        summary=str(username or ""),
        ip=ip_address,
    )


@receiver(pre_save, sender=Membership, dispatch_uid="audit.membership_before")
def membership_before(sender, instance: Membership, **kwargs) -> None:
    before = Membership.objects.filter(pk=instance.pk).values("role", "active").first() if instance.pk else None
    instance._audit_before = before


@receiver(post_save, sender=Membership, dispatch_uid="audit.membership_after")
def membership_after(sender, instance: Membership, created: bool, **kwargs) -> None:
    before = getattr(instance, "_audit_before", None)
    after = {"role": instance.role, "active": instance.active}
    if before == after:
        return
    audit_record(
        AuditAction.ROLE_CHANGED,
        actor=current_actor(),
        team_id=instance.team_id,
        obj=instance,
        summary=f"user {instance.user_id}: {before or '-'} -> {after}",
        detail={"user_id": instance.user_id, "before": before, "after": after},
        ip=current_ip(),
    )


@receiver(post_save, sender=ReviewChange, dispatch_uid="audit.review_change")
def review_changed(sender, instance: ReviewChange, created: bool, **kwargs) -> None:
    if not created or instance.status not in (ReviewStatus.SUBMITTED, ReviewStatus.RESOLVED):
        return  # acknowledging and disputing change no score
    review = instance.review
    resolved = instance.status == ReviewStatus.RESOLVED
    audit_record(
        AuditAction.DISPUTE_RESOLVED if resolved else AuditAction.SCORE_CHANGED,
        actor=instance.changed_by or current_actor(),
        team_id=review.team_id,
        obj=review,
        summary=f"{instance.status}: {instance.total}",
        detail={"status": instance.status, "total": str(instance.total), "agent_id": review.agent_id},
        ip=current_ip(),
    )


@receiver(post_save, sender=Award, dispatch_uid="audit.award")
def award_granted(sender, instance: Award, created: bool, **kwargs) -> None:
    if not created:
        return
    audit_record(
        AuditAction.AWARD_GRANTED,
        actor=getattr(instance, "granted_by", None) or current_actor(),
        team_id=instance.team_id,
        obj=instance,
        summary=f"{instance.kind} {instance.period}: {instance.winner_id}",
        detail={"kind": instance.kind, "period": instance.period, "winner_id": instance.winner_id},
        ip=current_ip(),
    )


@receiver(pre_save, sender=ImportJob, dispatch_uid="audit.import_before")
def import_before(sender, instance: ImportJob, **kwargs) -> None:
    instance._audit_status = (
        ImportJob.objects.filter(pk=instance.pk).values_list("status", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=ImportJob, dispatch_uid="audit.import_after")
def import_finished(sender, instance: ImportJob, **kwargs) -> None:
    if instance.status not in FINISHED or getattr(instance, "_audit_status", None) in FINISHED:
        return
    audit_record(
        AuditAction.IMPORT_FINISHED,
        actor=instance.created_by,
        team_id=instance.team_id,
        obj=instance,
        result=AuditResult.OK if instance.status == ImportStatus.SUCCEEDED else AuditResult.FAILED,
        summary=f"{instance.original_name}: {instance.created_count} new, {instance.updated_count} changed",
        detail={"status": instance.status, "rows": instance.rows_total, "errors": len(instance.errors or [])},
    )
