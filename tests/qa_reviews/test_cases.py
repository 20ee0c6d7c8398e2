"""Cases in the 三现 form: opening from a review or complaint, the 5W2H action, closing, training, who sees what."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from notifications.models import Notification
from plans.models import Task
from qa_reviews import cases, services
from qa_reviews.models import Case, CaseStatus, Complaint, ComplaintCategory
from qa_reviews.signals import case_training_requested
from tests.conversations.factories import ConversationFactory, MessageFactory
from tests.qa_reviews.test_reviews import CRITERIA

DUE = dt.datetime(2030, 1, 10, 18, 0, tzinfo=dt.UTC)


@pytest.fixture
def scorecard(team, qa_inspector):
    return services.scorecard_create(team=team, actor=qa_inspector, name="Chat quality", criteria=CRITERIA)


def make_conversation(team, agent, **fields):
    conversation = ConversationFactory(team=team, agent=agent, customer="buyer-77", rating=1, **fields)
    MessageFactory(conversation=conversation, text="您好，我的订单三天没发货！")
    MessageFactory(conversation=conversation, sender="agent", text="Sorry, checking now.")
    return conversation


@pytest.fixture
def conversation(team, agent):
    return make_conversation(team, agent)


def submitted_review(conversation, reviewer, scorecard, values=(0, 1, None, 1)):
    ids = list(scorecard.criteria.values_list("pk", flat=True))
    return services.review_save(
        conversation=conversation,
        reviewer=reviewer,
        scorecard=scorecard,
        points=dict(zip(ids, values, strict=True)),
        submit=True,
    )


@pytest.fixture
def review(conversation, qa_inspector, scorecard):
    return submitted_review(conversation, qa_inspector, scorecard)


@pytest.fixture
def complaint(team, conversation, supervisor):
    now = timezone.now()
    return Complaint.objects.create(
        team=team,
        conversation=conversation,
        summary="Parcel late, agent rude",
        details="Buyer says the agent told him to wait and stopped answering.",
        category=ComplaintCategory.SERVICE,
        customer="buyer-77",
        received_at=now,
        sla_minutes=30,
        first_response_due_at=now + dt.timedelta(minutes=30),
        created_by=supervisor,
    )


@pytest.fixture
def case(review, qa_inspector):
    return cases.case_open_from_review(review=review, actor=qa_inspector)


def with_facts(case, actor, **extra):
    return cases.case_update(
        case=case,
        actor=actor,
        root_cause="Did not check the warehouse status before promising.",
        meeting_notes="Sue and Quinn: Alice was covering two shops that day.",
        lesson_learned="Check the order's warehouse status before promising a ship date.",
        **extra,
    )


@pytest.fixture
def no_training_receivers(monkeypatch):
    """Whatever apps are installed, nothing listens (the training app may connect a receiver one day)."""
    monkeypatch.setattr(case_training_requested, "receivers", [])
    monkeypatch.setattr(case_training_requested, "sender_receivers_cache", {})


class Article:
    def __init__(self, case):
        self.case = case

    def __str__(self) -> str:
        return f"Lesson: {self.case.title}"

    def get_absolute_url(self) -> str:
        return f"/training/articles/from-case-{self.case.pk}/"


@pytest.fixture
def training_receiver(no_training_receivers):
    calls = []

    def receive(sender, case, actor, **kwargs):
        calls.append((case.pk, actor.pk, case.lesson_learned))
        return Article(case)

    case_training_requested.connect(receive, weak=False)
    yield calls
    case_training_requested.disconnect(receive)


# Opening


def test_open_from_review_prefills_the_three_panels(case, review, conversation, agent, qa_inspector):
    assert (case.team, case.review, case.conversation, case.status) == (
        review.team,
        review,
        conversation,
        CaseStatus.OPEN,
    )
    assert (case.rating, case.buyer_id, case.responsible, case.opened_by) == (1, "buyer-77", agent, qa_inspector)
    assert str(conversation) in case.title and "auto-failed" not in case.title


def test_an_auto_failed_review_says_so_in_the_title(conversation, qa_inspector, scorecard):
    review = submitted_review(conversation, qa_inspector, scorecard, values=(1, 5, 2, 0))
    assert review.auto_failed
    assert "auto-failed" in cases.case_open_from_review(review=review, actor=qa_inspector).title


def test_a_second_case_for_a_review_is_refused_and_names_the_first(case, review, supervisor):
    with pytest.raises(cases.CaseAlreadyOpen) as refused:
        cases.case_open_from_review(review=review, actor=supervisor)
    assert refused.value.case == case and "review" in refused.value.message_dict
    assert Case.objects.count() == 1


def test_a_draft_review_does_not_become_a_case(conversation, supervisor, scorecard):
    ids = list(scorecard.criteria.values_list("pk", flat=True))
    draft = services.review_save(
        conversation=conversation, reviewer=supervisor, scorecard=scorecard, points=dict.fromkeys(ids, 1)
    )
    with pytest.raises(ValidationError) as refused:
        cases.case_open_from_review(review=draft, actor=supervisor)
    assert "review" in refused.value.message_dict and not Case.objects.exists()


def test_a_review_of_someone_who_left_the_team_has_no_responsible_yet(review, agent, qa_inspector):
    agent.memberships.update(active=False)
    assert cases.case_open_from_review(review=review, actor=qa_inspector).responsible is None


def test_open_from_complaint_prefills_customer_and_details(complaint, conversation, agent, supervisor):
    case = cases.case_open_from_complaint(complaint=complaint, actor=supervisor)
    assert (case.complaint, case.conversation, case.title) == (complaint, conversation, "Parcel late, agent rude")
    assert (case.buyer_id, case.customer_comment, case.rating, case.responsible) == (
        "buyer-77",
        complaint.details,
        1,
        agent,
    )
    with pytest.raises(cases.CaseAlreadyOpen) as refused:
        cases.case_open_from_complaint(complaint=complaint, actor=supervisor)
    assert "complaint" in refused.value.message_dict and Case.objects.count() == 1


def test_open_from_scratch_links_only_the_teams_own_things(team, sibling_team, qa_inspector, sibling_agent, agent):
    foreign_chat = make_conversation(sibling_team, sibling_agent)
    with pytest.raises(ValidationError) as refused:
        cases.case_open(team=team, actor=qa_inspector, title="Late parcel", conversation=foreign_chat)
    assert "conversation" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        cases.case_open(team=team, actor=qa_inspector, title="Late parcel", responsible=sibling_agent)
    assert "responsible" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        cases.case_open(team=team, actor=qa_inspector, title=" ")
    assert "title" in refused.value.message_dict
    assert not Case.objects.exists()
    own_chat = make_conversation(team, agent)
    case = cases.case_open(team=team, actor=qa_inspector, title="Late parcel", conversation=own_chat)
    assert (case.rating, case.buyer_id, case.responsible) == (1, "buyer-77", agent)


@pytest.mark.parametrize("actor", ["agent", "second_agent", "sibling_agent", "outsider"])
def test_only_the_teams_supervisors_and_qa_open_cases(request, actor, review, complaint, team):
    person = request.getfixturevalue(actor)
    for open_case in (
        lambda: cases.case_open_from_review(review=review, actor=person),
        lambda: cases.case_open_from_complaint(complaint=complaint, actor=person),
        lambda: cases.case_open(team=team, actor=person, title="x"),
    ):
        with pytest.raises(PermissionDenied):
            open_case()
    assert not Case.objects.exists()


def test_the_department_manager_opens_cases_too(review, manager):
    assert cases.case_open_from_review(review=review, actor=manager).opened_by == manager


# Updating


def test_update_checks_rating_and_responsible_and_writes_nothing_on_refusal(case, qa_inspector, sibling_agent):
    for fields, field_name in (
        ({"rating": 6, "root_cause": "x"}, "rating"),
        ({"responsible": sibling_agent, "root_cause": "x"}, "responsible"),
        ({"buyer_id": "b", "nonsense": 1}, "nonsense"),
    ):
        with pytest.raises(ValidationError) as refused:
            cases.case_update(case=case, actor=qa_inspector, **fields)
        assert field_name in refused.value.message_dict
    case.refresh_from_db()
    assert (case.rating, case.root_cause, case.buyer_id) == (1, "", "buyer-77")


def test_update_writes_the_things_and_facts(case, supervisor, second_agent):
    updated = with_facts(case, supervisor, rating=2, responsible=second_agent, evidence="Screenshot of the chat")
    updated.refresh_from_db()
    assert (updated.rating, updated.responsible, updated.evidence) == (2, second_agent, "Screenshot of the chat")
    assert updated.lesson_learned.startswith("Check the order")


def test_agents_do_not_edit_their_case(case, agent):
    with pytest.raises(PermissionDenied):
        cases.case_update(case=case, actor=agent, lesson_learned="Nothing to learn")
    case.refresh_from_db()
    assert case.lesson_learned == ""


# The 5W2H action


def test_the_action_creates_a_task_for_the_assignees_with_the_root_cause_as_why(case, qa_inspector, agent):
    case = with_facts(case, qa_inspector)
    case = cases.case_action_create(
        case=case,
        actor=qa_inspector,
        what="Shadow a senior agent on order-status questions",
        due_at=DUE,
        assignees=[agent],
        how="Two shifts side by side",
        where="Pre-sales floor",
    )
    task = Task.objects.get()
    assert case.action_task == task and case.status == CaseStatus.ACTION
    assert (task.team_id, task.why, task.where, task.created_by) == (
        case.team_id,
        "Did not check the warehouse status before promising.",
        "Pre-sales floor",
        qa_inspector,
    )
    assert list(task.assignees.all()) == [agent]
    assert Notification.objects.filter(recipient=agent, kind="task-assigned").exists()
    with pytest.raises(ValidationError) as refused:
        cases.case_action_create(case=case, actor=qa_inspector, what="Again", due_at=DUE, assignees=[agent])
    assert "action_task" in refused.value.message_dict and Task.objects.count() == 1


def test_the_action_needs_a_why_and_team_members(case, qa_inspector, sibling_agent, agent):
    with pytest.raises(ValidationError) as refused:
        cases.case_action_create(case=case, actor=qa_inspector, what="Coach", due_at=DUE, assignees=[agent])
    assert "why" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        cases.case_action_create(
            case=case, actor=qa_inspector, what="Coach", why="Tone", due_at=DUE, assignees=[sibling_agent]
        )
    assert "assignees" in refused.value.message_dict
    case.refresh_from_db()
    assert (case.action_task, case.status, Task.objects.count()) == (None, CaseStatus.OPEN, 0)


# Closing


def test_close_requires_root_cause_and_lesson_and_writes_nothing_when_refused(case, supervisor):
    with pytest.raises(ValidationError) as refused:
        cases.case_close(case=case, actor=supervisor)
    assert set(refused.value.message_dict) == {"root_cause", "lesson_learned"}
    cases.case_update(case=case, actor=supervisor, root_cause="Promised without checking")
    with pytest.raises(ValidationError) as refused:
        cases.case_close(case=case, actor=supervisor)
    assert set(refused.value.message_dict) == {"lesson_learned"}
    case.refresh_from_db()
    assert (case.status, case.closed_at) == (CaseStatus.OPEN, None)


def test_closing_tells_the_responsible_agent_and_freezes_the_record(case, supervisor, agent):
    closed = cases.case_close(case=with_facts(case, supervisor), actor=supervisor)
    assert closed.status == CaseStatus.CLOSED and closed.closed_at is not None
    notice = Notification.objects.get(recipient=agent, kind="qa-case-closed")
    assert notice.link == f"/qa/cases/{case.pk}/"
    for change in (
        lambda: cases.case_update(case=case, actor=supervisor, lesson_learned="changed"),
        lambda: cases.case_close(case=case, actor=supervisor),
        lambda: cases.case_action_create(case=case, actor=supervisor, what="x", due_at=DUE, assignees=[agent]),
    ):
        with pytest.raises(ValidationError) as refused:
            change()
        assert "status" in refused.value.message_dict


# Training link point


def test_without_a_training_app_nothing_is_sent(case, supervisor, no_training_receivers):
    assert not cases.training_receivers_connected()
    with pytest.raises(cases.NoTrainingReceiver):
        cases.case_turn_into_training(case=with_facts(case, supervisor), actor=supervisor)
    case.refresh_from_db()
    assert case.training_requested_at is None


def test_the_training_signal_carries_the_case_and_returns_what_the_receiver_made(
    case, supervisor, agent, training_receiver
):
    with pytest.raises(ValidationError) as refused:
        cases.case_turn_into_training(case=case, actor=supervisor)
    assert "lesson_learned" in refused.value.message_dict and training_receiver == []
    with pytest.raises(PermissionDenied):
        cases.case_turn_into_training(case=case, actor=agent)
    results = cases.case_turn_into_training(case=with_facts(case, supervisor), actor=supervisor)
    assert training_receiver == [
        (case.pk, supervisor.pk, "Check the order's warehouse status before promising a ship date.")
    ]
    assert cases.training_material_links(results) == [
        (f"Lesson: {case.title}", f"/training/articles/from-case-{case.pk}/")
    ]
    case.refresh_from_db()
    assert case.training_requested_at is not None


def test_a_receiver_that_refuses_rolls_the_request_back(case, supervisor, no_training_receivers):
    def refuse(sender, case, actor, **kwargs):
        raise ValidationError({"lesson_learned": "Too short for an article."})

    case_training_requested.connect(refuse, weak=False)
    try:
        with pytest.raises(ValidationError):
            cases.case_turn_into_training(case=with_facts(case, supervisor), actor=supervisor)
    finally:
        case_training_requested.disconnect(refuse)
    case.refresh_from_db()
    assert case.training_requested_at is None


# Who sees what


def test_case_list_scopes(case, team, agent, second_agent, supervisor, qa_inspector, manager, sibling_agent, outsider):
    for reader in (supervisor, qa_inspector, manager, agent):
        assert list(cases.case_list(user=reader)) == [case], reader
    for stranger in (second_agent, sibling_agent, outsider):
        assert not cases.case_list(user=stranger).exists(), stranger


def test_api_agent_reads_own_case_without_meeting_notes(api, case, supervisor, agent, second_agent, outsider):
    with_facts(case, supervisor)
    as_qa = api.as_user(supervisor).get(f"/api/v1/qa/cases/{case.pk}/").json()
    assert as_qa["meeting_notes"].startswith("Sue and Quinn")
    own = api.as_user(agent).get(f"/api/v1/qa/cases/{case.pk}/").json()
    assert "meeting_notes" not in own
    assert own["lesson_learned"].startswith("Check the order") and own["root_cause"] and own["rating"] == 1
    listed = api.as_user(agent).get("/api/v1/qa/cases/").json()["results"]
    assert [row["id"] for row in listed] == [case.pk] and "meeting_notes" not in listed[0]
    for stranger in (second_agent, outsider):
        assert api.as_user(stranger).get(f"/api/v1/qa/cases/{case.pk}/").status_code == 404
        response = api.as_user(stranger).patch(f"/api/v1/qa/cases/{case.pk}/", {"lesson_learned": "x"}, format="json")
        assert response.status_code == 404
    response = api.as_user(agent).patch(f"/api/v1/qa/cases/{case.pk}/", {"lesson_learned": "x"}, format="json")
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.lesson_learned.startswith("Check the order")


def test_api_opens_from_review_complaint_or_scratch(api, review, complaint, team, qa_inspector, agent, outsider):
    client = api.as_user(qa_inspector)
    response = client.post("/api/v1/qa/cases/", {"review": review.pk}, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["responsible"], response.json()["buyer_id"]) == (agent.pk, "buyer-77")
    again = client.post("/api/v1/qa/cases/", {"review": review.pk}, format="json")
    assert again.status_code == 400 and "review" in again.json()
    from_complaint = client.post("/api/v1/qa/cases/", {"complaint": complaint.pk, "title": "Rude"}, format="json")
    assert from_complaint.status_code == 201 and from_complaint.json()["title"] == "Rude"
    scratch = client.post("/api/v1/qa/cases/", {"team": team.pk, "title": "Wrong size chart"}, format="json")
    assert scratch.status_code == 201 and scratch.json()["team"] == team.pk
    both = client.post("/api/v1/qa/cases/", {"team": team.pk, "review": review.pk}, format="json")
    assert both.status_code == 400
    assert Case.objects.count() == 3
    # Outsiders cannot name the team's things: 404 for the review and complaint, 400 for the team.
    stranger = api.as_user(outsider)
    assert stranger.post("/api/v1/qa/cases/", {"review": review.pk}, format="json").status_code == 404
    assert stranger.post("/api/v1/qa/cases/", {"complaint": complaint.pk}, format="json").status_code == 404
    refused = stranger.post("/api/v1/qa/cases/", {"team": team.pk, "title": "x"}, format="json")
    assert refused.status_code == 400 and "team" in refused.json()
    assert api.as_user(agent).post("/api/v1/qa/cases/", {"review": review.pk}, format="json").status_code == 403
    assert Case.objects.count() == 3


def test_api_action_close_and_training(api, case, qa_inspector, agent, no_training_receivers):
    client = api.as_user(qa_inspector)
    url = f"/api/v1/qa/cases/{case.pk}/"
    closing = client.post(f"{url}close/")
    assert closing.status_code == 400 and {"root_cause", "lesson_learned"} <= set(closing.json())
    patched = client.patch(url, {"root_cause": "Promised without checking", "rating": 2}, format="json")
    assert patched.status_code == 200 and patched.json()["rating"] == 2
    body = {"what": "Coach on order status", "due_at": DUE.isoformat(), "assignees": [agent.pk]}
    given = client.post(f"{url}action/", body, format="json")
    assert given.status_code == 200, given.content
    task = Task.objects.get(pk=given.json()["action_task"])
    assert (task.why, given.json()["status"]) == ("Promised without checking", "action")
    assert client.post(f"{url}action/", body, format="json").status_code == 400
    assert api.as_user(agent).post(f"{url}close/").status_code == 403
    client = api.as_user(qa_inspector)  # one client: as_user switched it to the agent
    nothing_listens = client.post(f"{url}training/")
    assert nothing_listens.status_code == 409 and "training" in nothing_listens.json()["detail"]
    client.patch(url, {"lesson_learned": "Check stock first"}, format="json")
    assert client.post(f"{url}close/").json()["status"] == "closed"


def test_api_training_with_a_receiver_links_the_material(api, case, supervisor, training_receiver):
    with_facts(case, supervisor)
    response = api.as_user(supervisor).post(f"/api/v1/qa/cases/{case.pk}/training/")
    assert response.status_code == 200, response.content
    assert response.json()["training_material"] == [
        {"title": f"Lesson: {case.title}", "url": f"http://testserver/training/articles/from-case-{case.pk}/"}
    ]
    assert response.json()["case"]["training_requested_at"] is not None


def test_api_list_filters(api, team, agent, second_agent, qa_inspector):
    mine = cases.case_open(team=team, actor=qa_inspector, title="A", responsible=agent)
    theirs = cases.case_open(team=team, actor=qa_inspector, title="B", responsible=second_agent)
    client = api.as_user(qa_inspector)

    def ids(**params):
        return {row["id"] for row in client.get("/api/v1/qa/cases/", params).json()["results"]}

    assert ids() == {mine.pk, theirs.pk}
    assert ids(responsible=agent.pk) == {mine.pk}
    assert ids(status="closed") == set()
    assert ids(team=team.pk, status="open") == {mine.pk, theirs.pk}


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_takes_a_fixed_number_of_queries(
    api, client, team, agent, qa_inspector, scorecard, count, django_assert_max_num_queries
):
    for _ in range(count):
        review = submitted_review(make_conversation(team, agent), qa_inspector, scorecard)
        case = cases.case_open_from_review(review=review, actor=qa_inspector)
        cases.case_action_create(case=case, actor=qa_inspector, what="Coach", why="Tone", due_at=DUE, assignees=[agent])
    api_client = api.as_user(qa_inspector)
    with django_assert_max_num_queries(6):
        response = api_client.get("/api/v1/qa/cases/")
    assert response.json()["count"] == count
    client.force_login(qa_inspector)
    with django_assert_max_num_queries(10):
        page = client.get("/qa/cases/")
    assert page.content.decode().count("/qa/cases/") >= count


# Pages


def test_the_case_page_shows_the_three_panels_and_the_chat(client, case, supervisor):
    client.force_login(supervisor)
    page = client.get(f"/qa/cases/{case.pk}/").content.decode()
    for label in ("The place (现场)", "The actual things (现物)", "The facts (现实)"):
        assert label in page
    assert "您好，我的订单三天没发货！" in page and 'id="case-form"' in page and 'id="case-action-form"' in page


def test_the_agent_page_shows_the_lesson_but_not_the_meeting_notes(client, case, supervisor, agent, second_agent):
    with_facts(case, supervisor)
    client.force_login(agent)
    page = client.get(f"/qa/cases/{case.pk}/").content.decode()
    assert "Check the order&#x27;s warehouse status" in page and "Did not check the warehouse" in page
    assert "Sue and Quinn" not in page and 'id="case-form"' not in page and 'id="close-case"' not in page
    assert client.post(f"/qa/cases/{case.pk}/", {"intent": "close"}).status_code == 403
    client.force_login(second_agent)
    assert client.get(f"/qa/cases/{case.pk}/").status_code == 404


def test_page_edit_action_and_close(client, case, qa_inspector, agent):
    client.force_login(qa_inspector)
    url = f"/qa/cases/{case.pk}/"
    refused = client.post(url, {"intent": "close"}, follow=True).content.decode()
    assert "Write the root cause before closing" in refused and "Write the lesson learned before closing" in refused
    bad = client.post(url, {"intent": "update", "title": case.title, "rating": "1", "responsible": "999999"})
    assert bad.status_code == 200 and "invalid-feedback" in bad.content.decode()
    saved = client.post(
        url,
        {
            "intent": "update",
            "title": case.title,
            "rating": "2",
            "buyer_id": "buyer-77",
            "responsible": agent.pk,
            "root_cause": "Promised without checking",
            "lesson_learned": "Check stock first",
        },
    )
    assert saved.status_code == 302
    case.refresh_from_db()
    assert (case.rating, case.root_cause) == (2, "Promised without checking")
    page = client.get(url).content.decode()
    assert "Promised without checking" in page  # the why of the action form is pre-filled
    given = client.post(
        url, {"intent": "action", "what": "Coach", "why": "", "assignees": [agent.pk], "due_at": "2030-01-10T18:00"}
    )
    assert given.status_code == 302
    case.refresh_from_db()
    assert case.action_task.why == "Promised without checking"
    assert f'href="/tasks/{case.action_task_id}/"' in client.get(url).content.decode()
    client.post(url, {"intent": "close"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert 'id="case-form"' not in client.get(url).content.decode()


def test_page_evidence_file_is_downloaded_only_by_those_who_see_the_case(
    client, case, qa_inspector, agent, outsider, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(qa_inspector)
    upload = SimpleUploadedFile("screenshot.png", b"\x89PNG fake", content_type="image/png")
    response = client.post(
        f"/qa/cases/{case.pk}/",
        {"intent": "update", "title": case.title, "responsible": agent.pk, "evidence_file": upload},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.evidence_file.name.endswith(".png")
    client.force_login(agent)
    download = client.get(f"/qa/cases/{case.pk}/evidence/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"\x89PNG fake"
    assert "attachment" in download["Content-Disposition"]
    client.force_login(outsider)
    assert client.get(f"/qa/cases/{case.pk}/evidence/").status_code == 404


def test_training_button_only_when_something_listens(client, case, supervisor, no_training_receivers):
    with_facts(case, supervisor)
    client.force_login(supervisor)
    assert 'id="turn-into-training"' not in client.get(f"/qa/cases/{case.pk}/").content.decode()
    refused = client.post(f"/qa/cases/{case.pk}/", {"intent": "training"}, follow=True).content.decode()
    assert "Nothing is connected" in refused


def test_training_button_sends_and_shows_where_it_went(client, case, supervisor, training_receiver):
    with_facts(case, supervisor)
    client.force_login(supervisor)
    assert 'id="turn-into-training"' in client.get(f"/qa/cases/{case.pk}/").content.decode()
    page = client.post(f"/qa/cases/{case.pk}/", {"intent": "training"}, follow=True).content.decode()
    assert f'href="/training/articles/from-case-{case.pk}/"' in page and 'id="training-requested"' in page


def test_open_a_case_from_the_review_page(client, review, qa_inspector, agent):
    client.force_login(agent)
    assert 'id="open-case"' not in client.get(f"/qa/reviews/{review.pk}/").content.decode()
    assert client.post(f"/qa/reviews/{review.pk}/case/").status_code == 403
    client.force_login(qa_inspector)
    assert 'id="open-case"' in client.get(f"/qa/reviews/{review.pk}/").content.decode()
    opened = client.post(f"/qa/reviews/{review.pk}/case/")
    case = Case.objects.get()
    assert opened["Location"] == f"/qa/cases/{case.pk}/"
    page = client.get(f"/qa/reviews/{review.pk}/").content.decode()
    assert 'id="open-case"' not in page and f"/qa/cases/{case.pk}/" in page
    again = client.post(f"/qa/reviews/{review.pk}/case/", follow=True)
    assert again.redirect_chain[-1][0] == f"/qa/cases/{case.pk}/" and "already has a case" in again.content.decode()
    assert Case.objects.count() == 1


def test_open_a_case_from_a_complaint_url(client, complaint, supervisor, agent, outsider):
    for stranger in (agent, outsider):
        client.force_login(stranger)
        assert client.post(f"/complaints/{complaint.pk}/case/").status_code == 404
    client.force_login(supervisor)
    opened = client.post(f"/complaints/{complaint.pk}/case/")
    case = Case.objects.get()
    assert opened["Location"] == f"/qa/cases/{case.pk}/" and case.complaint == complaint


def test_open_from_scratch_on_the_list_page(client, team, qa_inspector, agent):
    client.force_login(agent)
    assert 'id="case-open-form"' not in client.get("/qa/cases/").content.decode()
    assert client.post("/qa/cases/", {"team": team.pk, "title": "x"}).status_code == 403
    client.force_login(qa_inspector)
    opened = client.post("/qa/cases/", {"team": team.pk, "title": "Wrong size chart"})
    case = Case.objects.get()
    assert opened["Location"] == f"/qa/cases/{case.pk}/" and case.opened_by == qa_inspector
