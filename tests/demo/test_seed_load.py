"""The demo scaled for the load test (demo/load.py), on small sizes; PostgreSQL only."""

import datetime as dt
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from conversations.models import Conversation, Message
from demo.load import LOAD_API_SOURCE, LOAD_SOURCE, LoadSizes, load_scale
from kpi.models import DailyAgentMetric, DailyTeamMetric
from plans.models import DailyPlan
from teams.models import Membership, Role, Team

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="seed_load generates its data in PostgreSQL (generate_series); CI sets DATABASE_URL",
)


def _generated_ids() -> set[int]:
    return set(Conversation.objects.filter(source=LOAD_SOURCE).values_list("id", flat=True))


def test_scaling_reaches_the_sizes_and_a_second_run_changes_nothing(db):
    call_command("seed_demo", "--chat-days", "3", stdout=None)
    demo_messages = Message.objects.count()
    sizes = LoadSizes(agents=30, messages=demo_messages + 4_321, days=3, squad_size=4)

    world = load_scale(sizes=sizes)

    assert world.regenerated
    assert world.agents == 30  # the demo's 20 and 10 in squads of 4, 4 and 2
    assert world.squads == 3
    assert Message.objects.count() == world.messages == sizes.messages  # exactly
    squads = Team.objects.filter(name__contains=" squad ")
    assert {team.parent.name for team in squads} == {"Pre-sales", "After-sales"}
    assert Membership.objects.filter(team__in=squads, role=Role.AGENT, active=True).count() == 10
    assert world.generated_conversations == Conversation.objects.filter(source=LOAD_SOURCE).count() > 0
    # The generated days have their metrics, and they count every generated conversation.
    counted = sum(DailyAgentMetric.objects.filter(team__in=squads).values_list("conversations", flat=True))
    assert counted == world.generated_conversations
    assert DailyTeamMetric.objects.filter(team__in=squads).exists()
    # Every squad agent rostered today has a plan for today, with targets.
    zone = zoneinfo.ZoneInfo(squads[0].timezone)
    today = timezone.now().astimezone(zone).date()
    plans = DailyPlan.objects.filter(team__in=squads, date=today)
    assert plans.exists() and all(plan.targets for plan in plans)

    before, ids = (world.conversations, world.messages), _generated_ids()
    Conversation.objects.create(  # what the load test's integrations post goes on the next run
        source=LOAD_API_SOURCE,
        external_id="posted",
        team=squads[0],
        category="pre_sales",
        started_at=timezone.now() - dt.timedelta(hours=1),
    )
    again = load_scale(sizes=sizes)
    assert not again.regenerated
    assert (again.conversations, again.messages) == before
    assert _generated_ids() == ids
    assert again.agents == 30 and again.squads == 3


def test_other_sizes_regenerate_and_fewer_agents_step_aside(db):
    call_command("seed_demo", "--chat-days", "2", stdout=None)
    demo_messages = Message.objects.count()
    load_scale(sizes=LoadSizes(agents=28, messages=demo_messages + 3_000, days=2, squad_size=4))

    smaller = load_scale(sizes=LoadSizes(agents=24, messages=demo_messages + 1_000, days=2, squad_size=4))

    assert smaller.regenerated
    assert smaller.agents == 24
    assert Message.objects.count() == demo_messages + 1_000
    squads = Team.objects.filter(name__contains=" squad ")
    active = set(
        Membership.objects.filter(team__in=squads, role=Role.AGENT, active=True).values_list("user_id", flat=True)
    )
    agents_with_chats = set(Conversation.objects.filter(source=LOAD_SOURCE).values_list("agent_id", flat=True))
    assert agents_with_chats <= active
