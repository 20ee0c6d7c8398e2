import datetime as dt

import factory
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from teams.models import Membership, Position, Responsibility, Role, Shift, Shop, Team

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    timezone = "Asia/Shanghai"
    vision = "Answer every customer within a minute."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = Role.AGENT
    position = Position.PRE_SALES


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop

    team = factory.SubFactory(TeamFactory)
    code = factory.Sequence(lambda n: f"shop-{n}")
    name = factory.Sequence(lambda n: f"Shop {n}")


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsibility

    team = factory.SubFactory(TeamFactory)
    category = factory.Sequence(lambda n: f"Category {n}")


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    date = factory.Sequence(lambda n: dt.date(2026, 11, 1) + dt.timedelta(days=n))
    start_time = dt.time(9, 0)
    end_time = dt.time(18, 0)


def member(team: Team, role: str = Role.AGENT, position: str = Position.PRE_SALES, **user_fields):
    """A user with an active membership of `team`."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, team=team, role=role, position=position if role == Role.AGENT else "")
    return user


def token_for(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key
