"""Logging in and staying logged in: brute-force lockout (django-axes), no user enumeration, sessions rotated
at login and ended at logout and deactivation, tokens deleted with the account, the API throttled per token."""

import pytest
from django.contrib.sessions.models import Session
from rest_framework.authtoken.models import Token
from rest_framework.throttling import UserRateThrottle

from core.api.throttling import AnonThrottle, UserThrottle
from tests.factories import PASSWORD, token_for

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"
LIMIT = 5


def page_login(client, username: str, password: str, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def token_login(api, username: str, password: str, **headers):
    api.credentials()
    return api.post(TOKEN, {"username": username, "password": password}, format="json", **headers)


def test_five_failures_lock_the_username_on_the_login_page(client, agent):
    for _ in range(LIMIT - 1):
        failed = page_login(client, agent.username, "wrong")
        assert failed.status_code == 200 and "_auth_user_id" not in client.session
    assert page_login(client, agent.username, "wrong").status_code == 429  # the fifth failure locks
    locked = page_login(client, agent.username, PASSWORD)  # even the right password, while locked
    assert locked.status_code == 429 and int(locked["Retry-After"]) == 15 * 60
    assert "Too many failed logins for this username. Try again in 15 minutes." in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_rotating_x_forwarded_for_changes_nothing(client, agent):
    for n in range(LIMIT):
        page_login(client, agent.username, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    locked = page_login(client, agent.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert locked.status_code == 429


def test_the_lockout_speaks_chinese(client, agent):
    for _ in range(LIMIT):
        page_login(client, agent.username, "wrong")
    locked = page_login(client, agent.username, "wrong", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert locked.status_code == 429 and "登录失败次数过多" in locked.content.decode()


def test_a_success_before_the_limit_starts_the_count_again(client, agent):
    for _ in range(LIMIT - 1):
        page_login(client, agent.username, "wrong")
    assert page_login(client, agent.username, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(LIMIT - 1):
        page_login(client, agent.username, "wrong")
    assert page_login(client, agent.username, PASSWORD).status_code == 302


def test_the_token_endpoint_locks_too_and_says_so_in_json(api, agent):
    for _ in range(LIMIT - 1):
        failed = token_login(api, agent.username, "wrong")
        assert failed.status_code == 400
    assert token_login(api, agent.username, "wrong").status_code == 429
    locked = token_login(api, agent.username, PASSWORD)
    assert locked.status_code == 429 and "Retry-After" in locked
    assert locked.json()["detail"].startswith("Too many failed logins")
    assert not Token.objects.filter(user=agent).exists()


def test_nobody_learns_which_usernames_exist(client, api, agent):
    wrong_password = page_login(client, agent.username, "wrong").content.decode()
    no_such_user = page_login(client, "no-such-user", "wrong").content.decode()
    message = "Please enter a correct username and password."
    assert message in wrong_password and message in no_such_user
    assert token_login(api, agent.username, "wrong").json() == token_login(api, "no-such-user", "wrong").json()
    for _ in range(LIMIT):
        page_login(client, "no-such-user", "wrong")
    unknown_locked = page_login(client, "no-such-user", "wrong")
    for _ in range(LIMIT - 1):
        page_login(client, agent.username, "wrong")
    known_locked = page_login(client, agent.username, "wrong")
    assert unknown_locked.status_code == known_locked.status_code == 429
    assert (
        _alert(unknown_locked) == _alert(known_locked) and unknown_locked["Retry-After"] == known_locked["Retry-After"]
    )


def _alert(response) -> str:
    html = response.content.decode()
    start = html.index('id="locked-out"')
    return html[start : html.index("</div>", start)]


def test_the_session_is_rotated_at_login_and_ended_at_logout(client, agent):
    client.get(LOGIN)
    session = client.session
    session["before-login"] = True
    session.save()
    anonymous_key = session.session_key
    assert page_login(client, agent.username, PASSWORD).status_code == 302
    logged_in_key = client.session.session_key
    assert logged_in_key != anonymous_key and not Session.objects.filter(pk=anonymous_key).exists()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(pk=logged_in_key).exists()
    assert client.get("/dashboard/me/").status_code == 302  # back to the login page


def test_deactivation_ends_sessions_and_tokens(client, api, agent):
    page_login(client, agent.username, PASSWORD)
    session_key = client.session.session_key
    key = token_for(agent)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 200
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    assert api.get("/api/v1/me/").status_code == 401
    assert not Token.objects.filter(user=agent).exists()
    assert not Session.objects.filter(pk=session_key).exists()
    assert client.get("/dashboard/me/").status_code == 302
    agent.is_active = True
    agent.save(update_fields=["is_active"])
    assert client.get("/dashboard/me/").status_code == 302, "reactivated, the old session stays ended"


@pytest.fixture
def low_user_rate(monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {**UserRateThrottle.THROTTLE_RATES, "user": "3/minute"})


def test_the_api_is_throttled_per_token(api, agent, second_agent, low_user_rate, monkeypatch):
    now = [6000.0]  # the start of a minute
    monkeypatch.setattr(UserThrottle, "timer", lambda self: now[0])
    alice = api.as_user(agent)
    assert [alice.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    now[0] += 20
    refused = alice.get("/api/v1/me/")
    assert refused.status_code == 429 and refused["Retry-After"] == "40"  # until the minute is over
    assert api.as_user(second_agent).get("/api/v1/me/").status_code == 200  # another token has its own count
    now[0] += 40
    assert alice.get("/api/v1/me/").status_code == 200  # a new minute


def test_requests_without_a_token_are_throttled_per_address(api, db, monkeypatch):
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", {**AnonThrottle.THROTTLE_RATES, "anon": "2/minute"})
    statuses = [token_login(api, "someone", "wrong").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    other = token_login(api, "someone", "wrong", REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 400  # another address has its own count


def test_revoking_the_token_logs_out_of_the_api(api, agent, second_agent):
    alice = api.as_user(agent)
    assert alice.get("/api/v1/me/").status_code == 200
    assert alice.post("/api/v1/auth/token/revoke/").status_code == 204
    assert alice.get("/api/v1/me/").status_code == 401
    assert api.as_user(second_agent).get("/api/v1/me/").status_code == 200  # only the caller's token went
    api.credentials()
    assert api.post("/api/v1/auth/token/revoke/").status_code == 401
