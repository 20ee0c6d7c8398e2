"""Send every request of the matrix, each inside a savepoint that is rolled back, and record what happened."""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from rest_framework.test import APIClient

from tests.security.routes import Route
from tests.security.world import ACTORS, PLACES, World

# Rows these tables gain on a denied request are the point (the audit log), or no one's data (sessions, axes).
UNWATCHED_TABLES = {"audit_auditentry", "django_session", "axes_accessattempt", "axes_accessfailurelog"}
# Strings planted in the world that an agent must never receive (reviewer-only notes).
REVIEWER_ONLY = "Only for the reviewers"
AGENTS = ("agent", "same_team_agent")


@dataclass
class Cell:
    route: str
    method: str
    place: str  # "-" for a route without an object
    actor: str
    status: int
    body: bytes = b""
    changed: bool = False  # the request wrote to a watched table
    login_redirect: bool = False


@dataclass
class Walk:
    cells: list[Cell] = field(default_factory=list)

    def status(self, route: str, method: str, place: str, actor: str) -> int:
        return self._index[(route, method, place, actor)].status

    def index(self) -> None:
        self._index = {(c.route, c.method, c.place, c.actor): c for c in self.cells}


def _watched_tables() -> list[str]:
    project = {"teams", "conversations", "kpi", "notifications", "plans", "qa_reviews", "training", "recognition",
               "core", "authtoken"}  # fmt: skip
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.app_label in project and not model._meta.proxy and model._meta.managed
    )


def _fingerprint_sql(tables: list[str]) -> str:
    quoted = (connection.ops.quote_name(table) for table in tables)
    return "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in quoted)


def _state(sql: str, target) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = cursor.fetchone()
    row = type(target).objects.filter(pk=target.pk).values().first() if target is not None else None
    return counts, row


def clients_for(world: World) -> dict[str, dict[str, Client]]:
    """Per actor: an API client presenting their token, and a browser client holding their session."""
    result = {}
    for actor in ACTORS:
        api, browser = APIClient(), Client()
        person = world.people[actor]
        if actor == "revoked_token":
            api.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[actor]}")
            browser = Client(HTTP_AUTHORIZATION=f"Token {world.tokens[actor]}")  # a token is no session
        elif person is not None:
            api.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[actor]}")
            browser.force_login(person)
        result[actor] = {"api": api, "page": browser}
    return result


def walk_routes(world: World, routes: list[Route]) -> Walk:
    clients = clients_for(world)
    sql = _fingerprint_sql(_watched_tables())
    walk = Walk()
    for route in routes:
        places = PLACES if route.has_object else ("-",)
        for place in places:
            url = route.url(world, place if place != "-" else "own")
            target = route.target(world, place) if place != "-" else None
            for method in route.methods:
                for actor in ACTORS:
                    client = clients[actor]["api" if route.is_api else "page"]
                    walk.cells.append(_send(client, route, method, place, actor, url, sql, target))
    walk.index()
    return walk


def _send(client, route: Route, method: str, place: str, actor: str, url: str, sql: str, target) -> Cell:
    writes = method != "GET"
    with transaction.atomic():
        before = _state(sql, target) if writes else None
        if route.is_api:
            response = client.generic(method, url, data="{}" if writes else "", content_type="application/json")
        else:
            response = client.generic(method, url, data="", content_type="application/x-www-form-urlencoded")
        changed = writes and _state(sql, target) != before
        transaction.set_rollback(True)
    if writes:
        cache.clear()  # answers cached inside the rolled-back savepoint would outlive it
    body = b"".join(response.streaming_content) if response.streaming else response.content
    location = response.get("Location", "")
    return Cell(
        route.name, method, place, actor, response.status_code, body, changed,
        login_redirect=response.status_code == 302 and "/accounts/login/" in location,
    )  # fmt: skip
