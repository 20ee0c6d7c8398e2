"""Writes for people and structure. Callers check permissions with teams.policy first."""

from datetime import date, time
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.services import model_update
from teams.models import Membership, Responsibility, Role, Shift, Shop, Team

User = get_user_model()


def _require_active_member(*, team: Team, user, field: str) -> None:
    if user is not None and not Membership.objects.filter(team=team, user=user, active=True).exists():
        raise ValidationError(
            {field: _("%(user)s is not an active member of %(team)s.") % {"user": user, "team": team}}
        )


def _reject_department_cycle(*, team: Team, parent: Team | None) -> None:
    ancestor = parent
    while ancestor is not None:
        if ancestor.pk == team.pk:
            raise ValidationError({"parent": _("A team cannot sit under itself or one of its own sub-teams.")})
        ancestor = ancestor.parent


@transaction.atomic
def team_create(*, name: str, timezone: str = "Asia/Shanghai", vision: str = "", parent: Team | None = None) -> Team:
    team = Team(name=name, timezone=timezone, vision=vision, parent=parent)
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def team_update(*, team: Team, data: dict[str, Any]) -> Team:
    if "parent" in data:
        _reject_department_cycle(team=team, parent=data["parent"])
    team, _changed = model_update(instance=team, fields=["name", "timezone", "vision", "parent"], data=data)
    return team


@transaction.atomic
def member_create(
    *,
    username: str,
    team: Team,
    role: str = Role.AGENT,
    position: str = "",
    display_name: str = "",
    email: str = "",
    password: str | None = None,
) -> Membership:
    """Create a person and their membership of `team` in one step.

    Without a password the account cannot log in until one is set (an
    integration may create agents who only appear in chat logs).
    """
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("A user with that username already exists.")})
    user = User(username=username, display_name=display_name, email=email)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    membership = Membership(user=user, team=team, role=role, position=position)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, data: dict[str, Any]) -> Membership:
    if "display_name" in data:
        model_update(instance=membership.user, fields=["display_name"], data=data)
    membership, _changed = model_update(instance=membership, fields=["role", "position", "active"], data=data)
    return membership


@transaction.atomic
def shop_create(*, team: Team, code: str, name: str, active: bool = True) -> Shop:
    shop = Shop(team=team, code=code, name=name, active=active)
    shop.full_clean()
    shop.save()
    return shop


@transaction.atomic
def shop_update(*, shop: Shop, data: dict[str, Any]) -> Shop:
    shop, _changed = model_update(instance=shop, fields=["team", "code", "name", "active"], data=data)
    return shop


def _validate_responsibility(responsibility: Responsibility) -> None:
    _require_active_member(team=responsibility.team, user=responsibility.owner, field="owner")
    _require_active_member(team=responsibility.team, user=responsibility.backup, field="backup")
    if responsibility.owner_id and responsibility.owner_id == responsibility.backup_id:
        raise ValidationError({"backup": _("The backup must be a different person from the owner.")})
    responsibility.full_clean()


@transaction.atomic
def responsibility_create(
    *, team: Team, category: str, owner=None, backup=None, description: str = ""
) -> Responsibility:
    responsibility = Responsibility(team=team, category=category, owner=owner, backup=backup, description=description)
    _validate_responsibility(responsibility)
    responsibility.save()
    return responsibility


@transaction.atomic
def responsibility_update(*, responsibility: Responsibility, data: dict[str, Any]) -> Responsibility:
    for field in ("team", "category", "owner", "backup", "description"):
        if field in data:
            setattr(responsibility, field, data[field])
    _validate_responsibility(responsibility)
    responsibility.save()
    return responsibility


@transaction.atomic
def responsibility_delete(*, responsibility: Responsibility) -> None:
    responsibility.delete()


def _validate_shift(shift: Shift) -> None:
    _require_active_member(team=shift.team, user=shift.user, field="user")
    if shift.start_time == shift.end_time:
        raise ValidationError({"end_time": _("A shift must end at a different time than it starts.")})
    if Shift.objects.filter(user=shift.user, date=shift.date).exclude(pk=shift.pk).exists():
        raise _shift_clash(shift)
    shift.full_clean(validate_unique=False, validate_constraints=False)


def _shift_clash(shift: Shift) -> ValidationError:
    message = _("%(user)s already has a shift on %(date)s.") % {"user": shift.user, "date": shift.date}
    return ValidationError({"date": message})


def _save_shift(shift: Shift) -> Shift:
    try:
        with transaction.atomic():
            shift.save()
    except IntegrityError as error:  # a concurrent request booked the same day first
        raise _shift_clash(shift) from error
    return shift


@transaction.atomic
def shift_create(*, team: Team, user, date: date, start_time: time, end_time: time) -> Shift:
    shift = Shift(team=team, user=user, date=date, start_time=start_time, end_time=end_time)
    _validate_shift(shift)
    return _save_shift(shift)


@transaction.atomic
def shift_update(*, shift: Shift, data: dict[str, Any]) -> Shift:
    for field in ("team", "user", "date", "start_time", "end_time"):
        if field in data:
            setattr(shift, field, data[field])
    _validate_shift(shift)
    return _save_shift(shift)


@transaction.atomic
def shift_delete(*, shift: Shift) -> None:
    shift.delete()
