"""Schemathesis against our own OpenAPI schema, in process (WSGI), one role at a time.

`fuzz_role()` runs every operation of the schema with a bounded number of generated requests and records,
per operation, how many requests ran and which checks failed (without raising, so one finding does not hide
the others and Hypothesis does not spend minutes shrinking). Path parameters are taken, where the role can
list them, from the objects the role really sees, so requests reach the views instead of stopping at a 404.
"""

from __future__ import annotations

import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field

import hypothesis
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# The checks every response must pass (the goal: 0 server errors, 0 answers the schema does not describe).
REQUIRED_CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
)
# Run on requests generated to break the schema: the API must refuse them (the schema states what it validates),
# with an answer the schema describes.
NEGATIVE_CHECKS = (*REQUIRED_CHECKS, negative_data_rejection)

# One demo login per role (seed_demo); None is a request without a token.
ROLE_USERNAMES = {
    "anonymous": None,
    "agent": "wang",
    "supervisor": "sup.pre",
    "qa": "qa",
    "manager": "manager",
}

# Operations the fuzzer cannot generate a request for, with the reason. Any other operation that runs no request
# fails the test: nothing is skipped silently.
NOT_GENERATED: dict[str, str] = {}

# Path parameters that name an object found in a list nested in its parent's detail answer.
_NESTED_LISTS = {"item_id": "items", "material_id": "materials", "step_id": "steps"}


_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@dataclass
class OperationResult:
    label: str
    examples: int = 0
    negative_examples: int = 0
    failures: Counter = field(default_factory=Counter)  # check name -> failed requests
    first_messages: dict = field(default_factory=dict)  # check name -> the first failure's report
    error: str = ""  # why no request could be generated


@dataclass
class RoleResult:
    role: str
    operations: list[OperationResult] = field(default_factory=list)
    operations_in_schema: int = 0

    @property
    def examples(self) -> int:
        return sum(op.examples + op.negative_examples for op in self.operations)

    @property
    def negative_examples(self) -> int:
        return sum(op.negative_examples for op in self.operations)

    @property
    def exercised(self) -> int:
        return sum(1 for op in self.operations if op.examples or op.negative_examples)

    @property
    def failures(self) -> Counter:
        total: Counter = Counter()
        for op in self.operations:
            total.update(op.failures)
        return total

    @property
    def silently_skipped(self) -> list[OperationResult]:
        return [op for op in self.operations if not op.examples and op.label not in NOT_GENERATED]


def load_schema():
    """The schema exactly as /api/schema/ serves it, calling the Django app in process."""
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    # The role's token is sent with every request; a made-up token or session cookie would only test the 401.
    schema.config.generation.update(with_security_parameters=False)
    return schema


def _items(body) -> list:
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return body["results"]
    return body if isinstance(body, list) else []


class KnownIds:
    """Ids of objects the role can see, found by reading the API as that role (cached per URL)."""

    def __init__(self, client: APIClient, user):
        self.client = client
        self.user = user
        self._answers: dict[str, object] = {}

    def _get(self, url: str):
        if url not in self._answers:
            response = self.client.get(url)
            self._answers[url] = response.json() if response.status_code == 200 else None
        return self._answers[url]

    def for_path(self, path: str) -> dict:
        """Fill the path's parameters, left to right, from lists the role can read; stop at the first unknown."""
        values: dict = {}
        for match in re.finditer(r"\{(\w+)\}", path):
            name = match.group(1)
            before = path[: match.start()]
            filled = before.format(**values)
            value = None
            if name in _NESTED_LISTS:
                parent = self._get(filled.rsplit("/", 2)[0] + "/")  # /plans/7/items/ -> /plans/7/
                nested = parent.get(_NESTED_LISTS[name]) if isinstance(parent, dict) else None
                value = _first(nested or [], "id")
            elif name == "user_id":
                value = self.user.pk if self.user is not None else None
            elif name == "team":
                value = _first(_items(self._get(filled)), "team")
            elif name == "id":
                value = _first(_items(self._get(filled)), "id")
            if value is None:
                break
            values[name] = value
        return values


def _first(items: list, key: str):
    for item in items:
        if isinstance(item, dict) and item.get(key) is not None:
            return item[key]
    return None


def _record(result: OperationResult, response, case, checks) -> None:
    for check in checks:
        try:
            case.validate_response(response, checks=[check])
        except FailureGroup as group:
            name = check.__name__
            result.failures[name] += 1
            if name not in result.first_messages:
                result.first_messages[name] = (
                    f"{case.method} {case.formatted_path} query={case.query} body={case.body!r:.300}\n"
                    f"-> {response.status_code} {response.content[:300]!r}\n{str(group)[:600]}"
                )


def _token_kept(result: OperationResult, response, case, token: str | None) -> None:
    """A role's request refused for its token tests nothing but the 401: the harness lost the token."""
    if token and response.status_code == 401:
        result.failures["token_rejected"] += 1
        result.first_messages.setdefault(
            "token_rejected", f"{case.method} {case.formatted_path} -> 401 {response.content[:200]!r}"
        )


def _multipart_drops_invalid_part(case) -> bool:
    """A null part of a multipart body is left out when the request is sent (requests drops None values), so
    the request the API receives is a valid one: refusing it would be the mistake."""
    return (
        (case.media_type or "").startswith("multipart/")
        and isinstance(case.body, dict)
        and any(value is None for value in case.body.values())
    )


def _run(strategy, max_examples: int, body) -> None:
    @hypothesis_settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=strategy)
    def run(case):
        body(case)

    run()


@contextmanager
def connections_kept_open():
    """Django closes the database connection when a request finishes; in a test that would end the test's
    transaction (PostgreSQL: "connection already closed"). Django's test client does the same as this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def fuzz_role(
    *, role: str, user, token: str | None, max_examples: int, negative_examples: int, before_operation=None
) -> RoleResult:
    with connections_kept_open():
        schema = load_schema()
    headers = {"Authorization": f"Token {token}"} if token else {}
    outcome = RoleResult(role=role)
    operations = []
    for operation in schema.get_all_operations():
        if isinstance(operation, Ok):
            operations.append(operation.ok())
        else:  # the schema itself is broken there: reported as an operation that ran no request
            outcome.operations.append(OperationResult(label=str(operation.err())[:200], error="invalid schema"))
    # Counted in the document itself, not in what schemathesis made of it: an operation it dropped shows.
    outcome.operations_in_schema = sum(
        method in _METHODS for path_item in schema.raw_schema["paths"].values() for method in path_item
    )
    # Deletions last, so the objects they remove are still there for the other operations on the same path;
    # revoking the token after them (it is restored before each operation, see the test).
    operations.sort(key=lambda op: (op.path == "/api/v1/auth/token/revoke/", op.method.upper() == "DELETE"))
    # Read before any write, with Django's test client (which manages the connection signals itself).
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    known = KnownIds(client, user)
    path_parameters = {operation.path: known.for_path(operation.path) or None for operation in operations}
    with connections_kept_open():
        for operation in operations:
            if before_operation is not None:
                before_operation()
            outcome.operations.append(
                _fuzz_operation(
                    operation,
                    path_parameters=path_parameters[operation.path],
                    headers=headers,
                    token=token,
                    max_examples=max_examples,
                    negative_examples=negative_examples,
                )
            )
    return outcome


def _fuzz_operation(operation, *, path_parameters, headers, token, max_examples, negative_examples):
    result = OperationResult(label=f"{operation.method.upper()} {operation.path}")

    def positive(case):
        response = case.call(headers=headers)
        result.examples += 1
        _record(result, response, case, REQUIRED_CHECKS)
        _token_kept(result, response, case, token)

    def negative(case):
        response = case.call(headers=headers)
        result.negative_examples += 1
        checks = NEGATIVE_CHECKS
        if _multipart_drops_invalid_part(case):
            checks = tuple(check for check in checks if check is not negative_data_rejection)
        _record(result, response, case, checks)
        _token_kept(result, response, case, token)

    try:
        _run(operation.as_strategy(path_parameters=path_parameters), max_examples, positive)
    except hypothesis.errors.Unsatisfiable as exc:
        result.error = f"unsatisfiable: {exc}"
    except Exception as exc:  # a generation error is a finding, reported with the operation
        result.error = f"{type(exc).__name__}: {exc}"[:500]
    if not negative_examples:
        return result
    try:
        strategy = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE, path_parameters=path_parameters)
        _run(strategy, negative_examples, negative)
    except hypothesis.errors.Unsatisfiable:
        pass  # nothing of this operation can be made invalid (no parameters, no body): positive data only
    except Exception as exc:
        result.error = f"{type(exc).__name__}: {exc}"[:500]
    return result


def summary_lines(results: list[RoleResult], operations_in_schema: int) -> list[str]:
    lines = [f"API fuzzing: {operations_in_schema} operations in the schema"]
    total_failures: Counter = Counter()
    for result in results:
        failures = result.failures
        total_failures.update(failures)
        lines.append(
            f"  {result.role:<10} operations {result.exercised}/{operations_in_schema} exercised, "
            f"{result.examples} requests ({result.negative_examples} of them against the schema), "
            f"failures: {dict(failures) or 0}, skipped silently: {len(result.silently_skipped)}"
        )
    lines.append(
        f"  total      {sum(r.examples for r in results)} requests, failures by check: {dict(total_failures) or 0}"
    )
    return lines


def failure_report(results: list[RoleResult], limit: int = 40) -> str:
    parts = []
    for result in results:
        for op in result.operations:
            for check, message in op.first_messages.items():
                parts.append(f"[{result.role}] {op.label} {check} x{op.failures[check]}\n{message}")
            if op.error:
                parts.append(f"[{result.role}] {op.label} not generated: {op.error}")
    more = f"\n... and {len(parts) - limit} more" if len(parts) > limit else ""
    return "\n\n".join(parts[:limit]) + more
