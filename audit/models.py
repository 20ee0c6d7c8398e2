"""The audit log: who did what to which object, when, from where, and how it ended. Entries are never changed
or deleted: the model refuses, and on PostgreSQL a trigger refuses too (migration 0002). People and teams are
kept as ids and a name, not foreign keys, so deleting a person or a team changes no entry."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("login failed")
    LOGIN_LOCKED = "login_locked", _("login locked out")
    LOGOUT = "logout", _("logged out")
    ACCESS_DENIED = "access_denied", _("access denied")
    ROLE_CHANGED = "role_changed", _("role changed")
    SCORE_CHANGED = "score_changed", _("QA score recorded or changed")
    DISPUTE_RESOLVED = "dispute_resolved", _("dispute resolved")
    AWARD_GRANTED = "award_granted", _("award granted")
    IMPORT_FINISHED = "import_finished", _("import finished")
    EXPORTED = "exported", _("table exported")


class AuditResult(models.TextChoices):
    OK = "ok", _("done")
    DENIED = "denied", _("denied")
    FAILED = "failed", _("failed")


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit entries are never changed.")

    def delete(self):
        raise PermissionError("Audit entries are never deleted.")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor_id = models.IntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices, db_index=True)
    result = models.CharField(_("result"), max_length=8, choices=AuditResult.choices, default=AuditResult.OK)
    team_id = models.IntegerField(_("team id"), null=True, blank=True, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["team_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are never deleted.")
