import datetime as dt

import pytest

from teams.models import Shift
from tests.factories import ShopFactory

DAY = dt.date(2026, 11, 20)


@pytest.fixture
def staffed(team, agent, second_agent):
    """A shop of the team that alice and bob cover on 20 November 2026."""
    shop = ShopFactory(team=team, code="flagship")
    for person in (agent, second_agent):
        Shift.objects.create(team=team, user=person, shop=shop, date=DAY, start_time=dt.time(9), end_time=dt.time(18))
    return shop
