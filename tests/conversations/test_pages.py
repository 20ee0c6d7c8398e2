"""Upload page, import progress and the conversation pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conversations.models import Conversation, ImportJob, ImportStatus
from tests.conversations.factories import ConversationFactory, MessageFactory
from tests.conversations.test_import_files import GOOD_CSV, HEADER, _row


def upload(client, team, raw: bytes, **fields):
    data = {
        "team": team.pk,
        "format": "csv",
        "source": "shopchat",
        "encoding": "utf-8",
        "default_category": "after_sales",
        "file": SimpleUploadedFile("chats.csv", raw, content_type="text/csv"),
        **fields,
    }
    return client.post("/imports/", data)


def test_supervisor_uploads_a_csv_and_sees_the_result(
    client, supervisor, agent, team, django_capture_on_commit_callbacks
):
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, team, GOOD_CSV.encode())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    assert (job.status, job.rows_done, job.rows_total, job.created_count) == (ImportStatus.SUCCEEDED, 3, 3, 2)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Conversations created: 2," in page
    listing = client.get(f"/conversations/?team={team.pk}").content.decode()
    assert "buyer-1" in listing and "buyer-2" in listing


def test_progress_partial_polls_while_running(client, supervisor, team):
    job = ImportJob.objects.create(
        team=team,
        created_by=supervisor,
        source="s",
        format="csv",
        original_name="big.csv",
        status=ImportStatus.RUNNING,
        rows_total=1000,
        rows_done=250,
    )
    client.force_login(supervisor)
    partial = client.get(f"/imports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial and "25%" in partial and "<html" not in partial


def test_rejected_upload_shows_errors_and_a_report(client, supervisor, agent, team, django_capture_on_commit_callbacks):
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, team, (HEADER + _row(agent="=HYPERLINK(1)")).encode())
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and not Conversation.objects.exists()
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "nothing was imported" in page
    report = client.get(f"/imports/{job.pk}/errors.csv")
    text = report.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "line,field,message"
    assert text.splitlines()[1].startswith("2,agent,")


def test_running_the_job_twice_imports_once(supervisor, agent, team, django_capture_on_commit_callbacks):
    from conversations.services import import_job_create, import_job_run

    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(
            team=team,
            created_by=supervisor,
            upload=SimpleUploadedFile("c.csv", GOOD_CSV.encode()),
            source="shopchat",
            format_name="csv",
        )
    again = import_job_run(job_id=job.pk)  # a redelivered task
    assert again.status == ImportStatus.SUCCEEDED and again.created_count == 2
    assert Conversation.objects.count() == 2


@pytest.mark.parametrize("fixture", ["agent", "qa_inspector"])
def test_only_roster_managers_may_upload(client, request, fixture, team):
    client.force_login(request.getfixturevalue(fixture))
    assert "import-form" not in client.get("/imports/").content.decode()
    assert upload(client, team, GOOD_CSV.encode()).status_code == 403
    assert not ImportJob.objects.exists()


def test_supervisor_cannot_upload_into_another_team(client, supervisor, other_team):
    client.force_login(supervisor)
    response = upload(client, other_team, GOOD_CSV.encode())
    assert response.status_code == 200 and "team" in response.context["form"].errors
    assert not ImportJob.objects.exists()


def test_import_pages_hide_other_teams_jobs(client, outsider, supervisor, team):
    job = ImportJob.objects.create(team=team, created_by=supervisor, source="s", format="csv", original_name="x.csv")
    client.force_login(outsider)
    assert client.get(f"/imports/{job.pk}/").status_code == 404
    assert client.get(f"/imports/{job.pk}/errors.csv").status_code == 404
    assert "x.csv" not in client.get("/imports/").content.decode()


def test_agent_sees_only_own_conversations_in_the_browser(client, agent, second_agent, team):
    own = ConversationFactory(team=team, agent=agent, customer="mine")
    other = ConversationFactory(team=team, agent=second_agent, customer="theirs")
    MessageFactory(conversation=own, text="你好")
    client.force_login(agent)
    listing = client.get("/conversations/").content.decode()
    assert "mine" in listing and "theirs" not in listing
    assert "你好" in client.get(f"/conversations/{own.pk}/").content.decode()
    assert client.get(f"/conversations/{other.pk}/").status_code == 404


@pytest.mark.parametrize("size", [3, 60])
def test_conversation_list_page_query_count_is_fixed(
    client, supervisor, team, agent, size, django_assert_max_num_queries
):
    for _ in range(size):
        ConversationFactory(team=team, agent=agent)
    client.force_login(supervisor)
    with django_assert_max_num_queries(10):
        assert client.get("/conversations/").status_code == 200
