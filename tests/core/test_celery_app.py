from cs_platform.beat_schedule import BEAT_SCHEDULE
from cs_platform.celery import app


def test_beat_schedule_is_installed_and_names_registered_tasks():
    app.loader.import_default_modules()  # what a worker does at start: autodiscovers tasks.py modules
    assert app.conf.beat_schedule == BEAT_SCHEDULE
    for entry in BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


def test_celery_speaks_json_only_and_acknowledges_late():
    conf = app.conf
    assert conf.accept_content == ["json"]
    assert conf.task_serializer == "json" and conf.result_serializer == "json"
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
