"""Every route x method x actor x object place against one declarative table (tests/security/policy.py).

Beside the table, rules that define a leak hold for every cell (tests/security/invariants.py): list answers
hold only ids the actor may read, a body naming another team or its agent creates nothing, read-only fields
cannot be mass-assigned. The figures are printed for the README.
"""

import json
import os

import pytest
from django.db import transaction
from django.urls import reverse

from tests.conversations.factories import native
from tests.security.draft import policy_draft_write
from tests.security.invariants import OTHER_TEAM_READERS, violations
from tests.security.policy import POLICY
from tests.security.routes import ROUTE_KINDS, project_routes
from tests.security.walk import Walk, _fingerprint_sql, _state, _watched_tables, clients_for, walk_routes
from tests.security.world import ACTORS, PLACES, World, build_world


def _expected(route: str, method: str, place: str, actor: str) -> int:
    entry = POLICY[route][method]
    row = entry if isinstance(entry, str) else entry[place]
    return int(row.split()[ACTORS.index(actor)])


def test_every_route_and_method_has_a_row():
    routes = project_routes()
    missing = [
        f"{route.name} {method}"
        for route in routes
        for method in route.methods
        if method not in POLICY.get(route.name, {})
    ]
    assert missing == [], "add these routes and methods to tests/security/policy.py"
    stale = set(POLICY) - {route.name for route in routes}
    assert stale == set(), "these routes no longer exist: remove them from the policy"
    for route in routes:
        for method, entry in POLICY[route.name].items():
            places = ["-"] if isinstance(entry, str) else sorted(entry)
            assert places == (sorted(PLACES) if route.has_object else ["-"]), f"{route.name} {method}: places"


@pytest.fixture
def world(db) -> World:
    return build_world()


def test_every_cell_answers_as_the_policy_says(world, capsys):
    routes = project_routes()
    walk = walk_routes(world, routes)
    if draft := os.environ.get("ROUTE_POLICY_DRAFT"):
        policy_draft_write(draft, routes, walk)
    mismatches = [
        f"{c.method} {c.route} [{c.place}] as {c.actor}: got {c.status}, policy says {expected}"
        for c in walk.cells
        if c.status != (expected := _expected(c.route, c.method, c.place, c.actor))
    ]
    leaks = violations(walk.cells)
    listed = _list_answers_hold_only_readable_ids(walk, world)
    with capsys.disabled():
        print(
            f"\nroute policy: {len(routes)} routes, {sum(len(r.methods) for r in routes)} route x method, "
            f"{len(ACTORS)} actors, {len(walk.cells)} cells sent; {len(mismatches)} differ from the table; "
            f"{len(leaks)} leaks; {listed['lists']} list answers checked for {listed['ids']} ids, "
            f"{len(listed['wrong'])} wrong"
        )
    assert mismatches == []
    assert leaks == []
    assert listed["wrong"] == [], "\n".join(listed["wrong"])


def _list_answers_hold_only_readable_ids(walk: Walk, world: World) -> dict:
    """An id is in a list answer exactly when the actor may read that object's detail route."""
    checked = {"lists": 0, "ids": 0, "wrong": []}
    for name in POLICY:
        if not name.startswith("api:") or not name.endswith("-list") or "GET" not in POLICY[name]:
            continue
        detail = name.removesuffix("-list") + "-detail"
        if detail not in POLICY or "GET" not in POLICY[detail]:
            continue
        kind = next(kind for prefix, kind in ROUTE_KINDS.items() if detail.startswith(prefix))
        for cell in walk.cells:
            if cell.route != name or cell.method != "GET" or cell.status != 200:
                continue
            payload = json.loads(cell.body)
            rows = payload["results"] if isinstance(payload, dict) else payload
            ids = {_row_key(kind, row) for row in rows}
            checked["lists"] += 1
            for place in PLACES:
                obj = world.obj(kind, place)
                readable = _expected(detail, "GET", place, cell.actor) == 200
                checked["ids"] += 1
                if (_obj_key(kind, obj) in ids) != readable and (
                    name,
                    cell.actor,
                    place,
                ) not in LISTS_FILTERED_BY_DEFAULT:
                    checked["wrong"].append(
                        f"{name} as {cell.actor}: the {place} {kind} is {'missing' if readable else 'listed'}"
                    )
    return checked


# Rows without an id of their own are known by their natural key.
NATURAL_KEYS = {
    "award_settings": ("team",), "daily_metric": ("agent", "date"), "team_metric": ("team", "date"),
    "hourly": ("team", "date", "hour"),
}  # fmt: skip


def _row_key(kind: str, row: dict) -> tuple:
    return tuple(str(row[name]) for name in NATURAL_KEYS.get(kind, ("id",)))


def _obj_key(kind: str, obj) -> tuple:
    names = NATURAL_KEYS.get(kind, ("id",))
    return tuple(str(getattr(obj, f"{name}_id", None) or getattr(obj, name)) for name in names)


# (list route, actor, place): a list that shows less than the actor may read, on purpose.
LISTS_FILTERED_BY_DEFAULT: dict[tuple[str, str, str], str] = {}


# A body for each route that creates, naming the team, agent and objects of one place. Naming the other team's
# ("other") must create nothing for anyone who does not lead it; the same body naming the actors' own team
# ("own") is the control: the supervisor creates with it, so the refusal is about the foreign names.
def _create_bodies(world: World, place: str) -> dict[str, dict | list]:
    team = world.obj("team", place)
    person = world.obj("person", place)
    course = world.obj("course", place)
    scorecard, criterion = world.obj("scorecard", place), world.obj("criterion", place)
    spare_chat, spare_course = world.obj("spare_conversation", place), world.obj("spare_course", place)
    lead, quiz = world.obj("lead", place), world.obj("quiz", place)
    newcomer = world.people["revoked_token" if place == "own" else "sibling_supervisor"]  # no onboarding yet
    return {
        "api:member-list": {"username": f"newbie-{place}", "team": team.pk, "role": "agent", "position": "pre_sales"},
        "api:shop-list": {"team": team.pk, "code": f"shop-new-{place}", "name": "New shop"},
        "api:responsibility-list": {"team": team.pk, "category": "Warranty", "owner": person.pk},
        "api:shift-list": {
            "team": team.pk, "user": person.pk, "date": "2026-12-01", "start_time": "09:00", "end_time": "18:00",
        },
        "api:task-list": {"team": team.pk, "what": "Call back", "assignees": [person.pk], "due_at": "2026-12-01T10:00"},
        "api:conversation-bulk": [native(external_id=f"bulk-{place}", agent=person.username)],
        "api:qa-review-list": {
            "conversation": spare_chat.pk, "scorecard": scorecard.pk, "points": {str(criterion.pk): 4}, "submit": True,
        },
        "api:qa-case-list": {"team": team.pk, "title": "A new case", "responsible": person.pk},
        "api:complaint-list": {
            "team": team.pk, "summary": "Scratched", "category": "product", "customer": "c-9", "owner": person.pk,
        },
        "api:training-course-list": {"team": team.pk, "title": "A new course"},
        "api:training-assignment-list": {"course": course.pk, "users": [person.pk], "due_date": "2026-12-01"},
        "api:training-article-list": {"team": team.pk, "title": "A new article", "body": "Text"},
        "api:kudos-list": {"receiver": person.pk, "value": "care", "message": "Thank you"},
        "api:good-case-list": {"conversation": spare_chat.pk, "note": "Exemplary"},
        "api:award-list": {"team": team.pk, "kind": "special", "winner": person.pk, "citation": "Above and beyond"},
        "api:webhook-integration-list": {"team": team.pk, "name": "New inbox"},
        "api:score-weight-list": {"team": team.pk, "metric": "messages_sent", "weight": 2},
        "api:qa-sampling-rule-list": {"team": team.pk, "name": "New rule", "kind": "random"},
        "api:qa-scorecard-list": {
            "team": team.pk, "name": "New card", "criteria": [{"title": "Greets", "weight": "1", "max_points": 5}],
        },
        "api:qa-calibration-list": {
            "team": team.pk, "name": "New calibration", "scorecard": scorecard.pk, "conversations": [spare_chat.pk],
            "reviewers": [lead.pk, world.people["manager"].pk],
        },
        "api:training-assessment-list": {"team": team.pk, "course": spare_course.pk},
        "api:training-quiz-list": {
            "course": spare_course.pk,
            "questions": [{"kind": "single", "text": "Refund window?", "points": 1,
                           "choices": [{"text": "7 days", "is_correct": True}, {"text": "1 year"}]}],
        },
        "api:training-attempt-list": {"quiz": quiz.pk},
        "api:training-article-category-list": {"team": team.pk, "name": "New category"},
        "api:training-onboarding-list": {"template": world.obj("onboarding_template", place).pk, "user": newcomer.pk},
        "api:training-onboarding-template-list": {
            "team": team.pk, "name": "New template", "steps": [{"kind": "other", "title": "Shadow a colleague"}],
        },
        "api:training-career-level-list": {"team": team.pk, "position": "pre_sales", "rank": 9, "name": "Senior"},
        "api:complaint-policy": {"team": team.pk, "first_response_minutes": 30},
        "api:targets-cascade": {"team": team.pk, "metric": "conversations", "month": "2026-12", "value": "100", "apply": True},
    }  # fmt: skip


def _post_and_roll_back(client, route: str, body, sql: str) -> tuple[int, bool, bytes]:
    with transaction.atomic():
        before = _state(sql, None)
        response = client.post(reverse(route), body, format="json")
        wrote = _state(sql, None) != before
        transaction.set_rollback(True)
    return response.status_code, wrote, response.content


def test_a_body_naming_another_team_or_its_agent_creates_nothing(world, capsys):
    clients = clients_for(world)
    sql = _fingerprint_sql(_watched_tables())
    controls = {
        route: _post_and_roll_back(clients["supervisor"]["api"], route, body, sql)
        for route, body in _create_bodies(world, "own").items()
    }
    failed_controls = {
        route: (status, content[:200]) for route, (status, _w, content) in controls.items() if status >= 300
    }
    assert failed_controls == {}, "each body must be valid for the actors' own team"
    tried, accepted = 0, []
    for route, body in _create_bodies(world, "other").items():
        for actor in ACTORS:
            if actor in OTHER_TEAM_READERS:
                continue
            status, wrote, _content = _post_and_roll_back(clients[actor]["api"], route, body, sql)
            tried += 1
            if status < 400 or wrote:
                accepted.append(f"{route} as {actor}: {status}, wrote={wrote}")
    with capsys.disabled():
        print(
            f"\nforeign bodies: {len(controls)} create routes (each body accepted for the own team), {tried} requests "
            f"naming the other team or its agent, {len(accepted)} accepted"
        )
    assert accepted == []


# Fields a caller can never set by sending them: who scored, who won, whose it is, which team.
READ_ONLY_PROBE = {
    "team": "theirs", "agent": "outsider", "user": "outsider", "reviewer": "outsider", "winner": "outsider",
    "owner": "outsider", "responsible": "outsider", "created_by": "outsider", "granted_by": "outsider",
    "receiver": "outsider", "giver": "outsider", "recipient": "outsider", "total": 0, "score": 0,
}  # fmt: skip


def test_read_only_fields_cannot_be_mass_assigned(world, capsys):
    from tests.security.walk import clients_for as clients_of

    clients = clients_of(world)
    outsider, theirs = world.people["outsider"], world.teams["theirs"]
    body = {
        name: (theirs.pk if value == "theirs" else outsider.pk if value == "outsider" else value)
        for name, value in READ_ONLY_PROBE.items()
    }
    tried, moved = 0, []
    for route in project_routes():
        if "pk" not in route.kwarg_names:
            continue
        for method in ("PATCH", "PUT"):
            if method not in route.methods:
                continue
            for place in PLACES:
                for actor in ACTORS:
                    if _expected(route.name, method, place, actor) != 200:
                        continue
                    target = route.target(world, place)
                    with transaction.atomic():
                        before = type(target).objects.filter(pk=target.pk).values().first()
                        clients[actor]["api"].generic(
                            method, route.url(world, place), json.dumps(body), content_type="application/json"
                        )
                        after = type(target).objects.filter(pk=target.pk).values().first()
                        transaction.set_rollback(True)
                    tried += 1
                    changed = {
                        field: (before.get(field), after.get(field))
                        for field in (*(f"{name}_id" for name in READ_ONLY_PROBE), "total", "score", "team_id")
                        if before and after and before.get(field) != after.get(field)
                    }
                    if changed:
                        moved.append(f"{method} {route.name} [{place}] as {actor}: {changed}")
    with capsys.disabled():
        print(f"\nmass assignment: {tried} allowed PATCH/PUT requests carrying read-only fields, {len(moved)} obeyed")
    assert tried > 0
    assert moved == []
