"""API fuzzing: schemathesis generates requests for every operation of the OpenAPI schema, with the token of
each role (and none), against the seeded demo, and every answer must be one the schema describes.

Checks on every request generated from the schema (positive data): not_a_server_error,
status_code_conformance, content_type_conformance, response_schema_conformance, response_headers_conformance.
On requests generated to violate the schema (negative data): the same five and negative_data_rejection (a
request the schema calls invalid must be refused: the schema states every constraint the API enforces, and the
API enforces every constraint the schema states). The query filters are held to their types by
core.api.filters.StrictDjangoFilterBackend, which the settings must name. One kind of negative request is not
held to negative_data_rejection: a multipart body with a null part, because the null part is dropped on the
wire and what arrives is a valid request (fuzz_support._multipart_drops_invalid_part).

positive_data_acceptance is left off: a request the schema calls valid may still be refused for reasons no
OpenAPI schema can state (an id of an object that does not exist or belongs to another team, a state
transition the object is not in, a date in the past, a duplicate) and a fuzzer draws such requests all the
time. Those refusals are 400/404/409 answers the schema documents, which the required checks verify.

Each role runs on freshly seeded data (its own test, rolled back afterwards), so the writes one role's requests
make (a manager deleting a shift) never change what another role's requests find. Hypothesis runs derandomized:
the same requests every run. `.ci/fuzz.sh` runs the same checks longer, over HTTP against gunicorn.
"""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings

from core.api.filters import StrictDjangoFilterBackend
from teams.models import User
from tests.factories import token_for
from tests.fuzz_support import NOT_GENERATED, ROLE_USERNAMES, failure_report, fuzz_role, summary_lines

# Requests per operation, generated from the schema (positive) and against it (negative). Anonymous requests
# stop at the 401 (but for the few open operations), so fewer of them. The longer run is .ci/fuzz.sh.
MAX_EXAMPLES = {"anonymous": 2, "agent": 4, "supervisor": 4, "qa": 4, "manager": 4}
NEGATIVE_EXAMPLES = {"anonymous": 1, "agent": 3, "supervisor": 3, "qa": 3, "manager": 3}

_results: dict = {}


@pytest.fixture(scope="module")
def fuzz_summary(request):
    """Prints the figures once, at the end of the session, with or without -s."""
    printed = []

    class Summary:
        def pytest_terminal_summary(self, terminalreporter):
            if _results and not printed:
                printed.append(True)
                terminalreporter.section("API fuzzing")
                for line in _summary():
                    terminalreporter.write_line(line)

    request.config.pluginmanager.register(Summary(), "api-fuzz-summary")
    return _results


def _summary() -> list[str]:
    results = [_results[role] for role in ROLE_USERNAMES if role in _results]
    operations = max((r.operations_in_schema for r in results), default=0)
    return summary_lines(results, operations)


@pytest.mark.parametrize("role", list(ROLE_USERNAMES))
def test_every_operation_answers_as_the_schema_says(role, db, fuzz_summary):
    assert StrictDjangoFilterBackend in api_settings.DEFAULT_FILTER_BACKENDS, (
        "REST_FRAMEWORK['DEFAULT_FILTER_BACKENDS'] must name core.api.filters.StrictDjangoFilterBackend"
    )
    call_command("seed_demo", "--chat-days", "2", stdout=io.StringIO())
    username = ROLE_USERNAMES[role]
    user = User.objects.get(username=username) if username else None
    token = token_for(user) if user else None

    def before_operation():
        cache.clear()  # rates and cached answers start empty for each operation
        if user is not None:  # POST /auth/token/revoke/ deletes it: the same key again
            Token.objects.get_or_create(key=token, defaults={"user": user})

    result = fuzz_role(
        role=role,
        user=user,
        token=token,
        max_examples=MAX_EXAMPLES[role],
        negative_examples=NEGATIVE_EXAMPLES[role],
        before_operation=before_operation,
    )
    fuzz_summary[role] = result
    for line in summary_lines([result], result.operations_in_schema):
        print(line)

    assert result.operations_in_schema > 150 and len(result.operations) == result.operations_in_schema
    unknown_exemptions = set(NOT_GENERATED) - {op.label for op in result.operations}
    assert not unknown_exemptions, f"NOT_GENERATED names operations the schema no longer has: {unknown_exemptions}"
    skipped = result.silently_skipped
    assert not skipped, "operations that ran no request:\n" + "\n".join(f"{op.label}: {op.error}" for op in skipped)
    assert not result.failures, failure_report([result])
