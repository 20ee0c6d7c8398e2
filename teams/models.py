import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimestampedModel


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known IANA time zone."), params={"value": value})


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=150, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.username


class Team(TimestampedModel):
    """A support team. A team with child teams is a department (部门)."""

    name = models.CharField(_("name"), max_length=120)
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_timezone])
    vision = models.TextField(_("vision statement"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="team_unique_name_per_parent"),
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="team_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MANAGER = "manager", _("Manager")  # 经理
    SUPERVISOR = "supervisor", _("Supervisor")  # 主管
    QA = "qa", _("QA inspector")  # 督导
    AGENT = "agent", _("Agent")  # 客服代表


class Position(models.TextChoices):
    PRE_SALES = "pre_sales", _("Pre-sales")  # 售前
    AFTER_SALES = "after_sales", _("After-sales")  # 售后
    TECH_SUPPORT = "tech_support", _("Technical support")
    COMPLAINTS = "complaints", _("Complaints")


class Membership(TimestampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENT)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["team", "role", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="membership_unique_user_team")]
        indexes = [models.Index(fields=["team", "role", "active"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.team} · {self.get_role_display()}"


class Shop(TimestampedModel):
    """A store or product line that a team serves."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="shops")
    code = models.SlugField(_("code"), max_length=60, unique=True, help_text=_("Identifier used by chat imports."))
    name = models.CharField(_("name"), max_length=120)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("shop")
        verbose_name_plural = _("shops")

    def __str__(self) -> str:
        return self.name


class Responsibility(TimestampedModel):
    """Who answers a question category: the owning team, a named owner and a backup."""

    team = models.ForeignKey(
        Team, verbose_name=_("owning team"), on_delete=models.CASCADE, related_name="responsibilities"
    )
    category = models.CharField(_("question category"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_responsibilities",
    )
    backup = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("backup"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="backup_responsibilities",
    )

    class Meta:
        ordering = ["team", "category"]
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        constraints = [
            models.UniqueConstraint(fields=["team", "category"], name="responsibility_unique_team_category"),
            models.CheckConstraint(
                condition=models.Q(owner__isnull=True) | ~models.Q(owner=models.F("backup")),
                name="responsibility_backup_differs_from_owner",
                violation_error_message=_("The backup must be a different person from the owner."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} → {self.team}"


class Shift(TimestampedModel):
    """One person's working hours on one day, in the team's local time.

    An end time earlier than the start time means the shift runs past midnight.
    """

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="shifts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="shifts"
    )
    date = models.DateField(_("date"))
    shop = models.ForeignKey(
        Shop,
        verbose_name=_("shop covered"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shifts",
        help_text=_("The shop whose chats this person answers on this shift; daily targets follow it."),
    )
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))

    class Meta:
        ordering = ["date", "start_time", "user__username"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="shift_one_per_person_per_day"),
            models.CheckConstraint(condition=~models.Q(start_time=models.F("end_time")), name="shift_not_empty"),
        ]
        indexes = [models.Index(fields=["team", "date"])]

    def __str__(self) -> str:
        return f"{self.user} {self.date} {self.start_time:%H:%M}-{self.end_time:%H:%M}"
