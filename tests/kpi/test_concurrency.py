"""Two computations of the same day at once leave exactly the rows one computation leaves (PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from kpi.computation.daily import daily_metrics_compute
from kpi.models import DailyAgentMetric, DailyTeamMetric
from tests.conversations.factories import ConversationFactory

DAY = dt.date(2026, 11, 20)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent transactions (CI sets DATABASE_URL)"
)
def test_concurrent_runs_give_the_same_rows(transactional_db, team, agent, second_agent):
    start = dt.datetime(2026, 11, 20, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    for person in (agent, second_agent):
        for minute in range(5):
            ConversationFactory(team=team, agent=person, started_at=start + dt.timedelta(minutes=minute))
    errors = []

    def compute():
        try:
            daily_metrics_compute(day=DAY)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=compute) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(DailyAgentMetric.objects.values_list("agent_id", "conversations")) == sorted(
        [(agent.pk, 5), (second_agent.pk, 5)]
    )
    assert DailyTeamMetric.objects.get(team=team).conversations == 10
