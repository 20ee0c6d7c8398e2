"""Kudos sent at the same moment still keep the daily limits.

Real concurrent transactions need PostgreSQL (SQLite serialises whole-database writes and has no row locks).
"""

import threading

import pytest
from django.db import connection, connections

from notifications.models import Notification
from recognition import kudos
from recognition.models import Kudos
from teams.models import Role
from tests.factories import member

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrent transactions (CI sets DATABASE_URL)"
)


def run_at_once(jobs) -> tuple[list, list]:
    """Run each job in its own thread and connection, all released together; returns (results, errors)."""
    results, errors = [], []
    start = threading.Barrier(len(jobs))

    def run(job):
        try:
            start.wait()
            results.append(job())
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _send(giver, receiver):
    return lambda: kudos.kudos_give(giver=giver, receiver=receiver, value="care", message="Thank you!")


def test_concurrent_sends_to_one_colleague_make_one_kudos(transactional_db, team, agent, second_agent):
    results, errors = run_at_once([_send(agent, second_agent) for _ in range(6)])
    assert len(results) == 1 and len(errors) == 5
    assert all(isinstance(error, kudos.KudosRateLimited) for error in errors)
    assert all("receiver" in error.message_dict for error in errors)
    assert Kudos.objects.count() == 1
    assert Notification.objects.filter(recipient=second_agent, kind="kudos").count() == 1


def test_concurrent_sends_to_many_colleagues_stop_at_five(transactional_db, team, agent):
    colleagues = [member(team, Role.AGENT) for _ in range(9)]
    results, errors = run_at_once([_send(agent, colleague) for colleague in colleagues])
    assert len(results) == 5 and len(errors) == 4
    assert all(isinstance(error, kudos.KudosRateLimited) for error in errors)
    assert Kudos.objects.filter(giver=agent).count() == 5


def test_different_givers_are_not_serialised_against_each_other(transactional_db, team, agent):
    givers = [member(team, Role.AGENT) for _ in range(6)]
    results, errors = run_at_once([_send(giver, agent) for giver in givers])
    assert errors == [] and len(results) == 6
    assert Kudos.objects.filter(receiver=agent).count() == 6
