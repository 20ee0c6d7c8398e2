"""The in-app notification mechanism: idempotent sending, reading only one's own, the bell."""

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext_noop

from notifications.models import Notification
from notifications.selectors import unread_count
from notifications.services import Outgoing, notifications_mark_read, notifications_send
from notifications.unread import unread_key

ASSIGNED = gettext_noop("Responsibility saved.")  # any catalogue message will do for the mechanism


def send(user, key="k1", message=ASSIGNED, params=None):
    return notifications_send(
        outgoing=[
            Outgoing(recipient_id=user.pk, kind="test", message=message, dedupe_key=key, params=params, link="/teams/")
        ]
    )


def test_sending_twice_sends_once(agent):
    assert send(agent) == 1
    assert send(agent) == 0
    assert Notification.objects.filter(recipient=agent).count() == 1


def test_text_is_shown_in_the_readers_language(agent):
    send(agent)
    notification = Notification.objects.get()
    with translation.override("zh-hans"):
        assert notification.text == "职责已保存。"
    assert notification.text == "Responsibility saved."


def test_parameters_are_filled_in(agent):
    send(agent, message=gettext_noop("%(name)s joined the team."), params={"name": "Alice"})
    assert Notification.objects.get().text == "Alice joined the team."


def test_api_lists_only_ones_own_and_marks_read(api, agent, second_agent):
    send(agent)
    send(second_agent, key="other")
    client = api.as_user(agent)
    rows = client.get("/api/v1/notifications/").json()["results"]
    assert [row["text"] for row in rows] == ["Responsibility saved."]
    others = Notification.objects.get(recipient=second_agent)
    assert client.get(f"/api/v1/notifications/{others.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{others.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=others.pk).read_at is None
    own = Notification.objects.get(recipient=agent)
    assert client.post(f"/api/v1/notifications/{own.pk}/read/").json() == {"marked_read": 1}
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked_read": 0}


def test_bell_shows_the_unread_count_and_the_page_marks_read(client, agent, team):
    send(agent, key="a")
    send(agent, key="b")
    client.force_login(agent)
    page = client.get("/notifications/").content.decode()
    assert 'id="notification-bell"' in page and ">2</span>" in page
    client.post("/notifications/read/", {"id": Notification.objects.first().pk})
    assert ">1</span>" in client.get("/notifications/").content.decode()
    client.post("/notifications/read/")
    assert notifications_mark_read(user=agent) == 0


def test_the_unread_count_is_cached_until_something_is_sent_or_read(agent, django_assert_num_queries):
    assert unread_count(user=agent) == 0
    with django_assert_num_queries(0):
        assert unread_count(user=agent) == 0
    send(agent, key="a")
    send(agent, key="a")  # nothing new, the count stays right
    assert unread_count(user=agent) == 1
    send(agent, key="b")
    assert unread_count(user=agent) == 2
    notifications_mark_read(user=agent, notification_ids=[Notification.objects.get(dedupe_key="a").pk])
    assert unread_count(user=agent) == 1
    notifications_mark_read(user=agent)
    assert unread_count(user=agent) == 0


def test_the_count_is_forgotten_again_when_the_sending_transaction_commits(agent, django_capture_on_commit_callbacks):
    """A page that read the count between the write and the commit cached the old figure: the commit forgets it."""
    with django_capture_on_commit_callbacks(execute=True):
        send(agent, key="a")
        cache.set(unread_key(agent.pk), 0)  # as if read by another connection before the commit
    assert unread_count(user=agent) == 1
