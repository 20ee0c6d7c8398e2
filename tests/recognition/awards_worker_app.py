"""The Celery app the award worker tests start (`celery -A tests.recognition.awards_worker_app worker`).

The project's app, with a visibility timeout of seconds instead of twenty minutes so a message whose worker
was killed is redelivered within the test, and one test-only task: the weekly grant run inside a transaction
held open for AWARD_TEST_HOLD_SECONDS (set only in the worker that the test kills), so the kill lands after
the award row was inserted and before it was committed.
"""

import os
import pathlib
import time

from django.db import transaction

from cs_platform.celery import app

app.conf.broker_transport_options = {
    "visibility_timeout": int(os.environ.get("AWARD_TEST_VISIBILITY_TIMEOUT", "8")),
    "unacked_restore_interval": 1,  # look for abandoned messages every second
    "unacked_restore_throttle": 1,
}


@app.task(name="tests.recognition.award_weekly_grant_held_open")
def award_weekly_grant_held_open(team_id: int, week: str) -> int:
    from recognition.awards.services import award_weekly_grant
    from teams.models import Team

    hold_seconds = float(os.environ.get("AWARD_TEST_HOLD_SECONDS", "0"))
    with transaction.atomic():
        award = award_weekly_grant(team=Team.objects.get(pk=team_id), week=week)
        if hold_seconds:
            pathlib.Path(os.environ["AWARD_TEST_INSERTED_FILE"]).touch()
            time.sleep(hold_seconds)
    return award.pk
