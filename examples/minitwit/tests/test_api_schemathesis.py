"""The API does what its OpenAPI document says, for requests nobody wrote.

schemathesis reads ``/api/v1/openapi.json`` and makes requests from it:
the examples it gives, then values at and past each limit, then random
ones. Each answer must not be a 5xx, and its status, type and body must be
ones the document names. It runs twice: as a program with no credentials,
and as alice's program, with her token and her password where an operation
asks for them. It is slow: ``nox -s test-minitwit`` runs it.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator

import pytest

if sys.version_info < (3, 11):  # schemathesis 4 needs 3.11 (pyproject.toml)
    pytest.skip("schemathesis needs Python 3.11", allow_module_level=True)

import schemathesis
from conftest import PASSWORD
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

pytestmark = [pytest.mark.slow, pytest.mark.step(30)]

#: Random requests of one operation in each run; the document's examples
#: and the values at and past its limits come on top.
PER_OPERATION = 60
#: What the two runs send together, at least: each sends half of it.
AT_LEAST = 1000

TOKENS = "/api/v1/tokens"


@pytest.fixture
def fuzzed_app(app, auth):
    """minitwit with a confirmed alice. Thousands of requests in a few
    seconds would be refused with 429s: the limits here are far higher
    than a real client may reach (production keeps the defaults)."""
    app.config.update(
        LOGIN_LIMIT="100000 per hour",
        API_TOKEN_LIMIT="100000 per hour",
        API_MESSAGE_LIMIT="100000 per hour",
        API_MESSAGE_ADDRESS_LIMIT="100000 per hour",
    )
    auth.signup("alice")
    return app


def new_token(app) -> str:
    """A bearer token of alice's, bought with her password (HTTP Basic)."""
    response = app.test_client().post(TOKENS, auth=("alice", PASSWORD))
    assert response.status_code == 201, response.text
    return response.json["token"]


@pytest.fixture(params=["anonymous", "alice"])
def api_schema(request, fuzzed_app):
    """The document, read from the app; credentials for the operations
    whose security names them, in alice's run."""
    settings = {}
    if request.param == "alice":
        schemes = {
            "token": {"bearer": new_token(fuzzed_app)},
            "password": {"username": "alice", "password": PASSWORD},
        }
        settings = {"auth": {"openapi": schemes}}
    # A page starts before a position or after it, never both, and at a
    # day that exists: the document's pattern cannot say so; the API
    # answers a 400, which these operations may give to well-formed data.
    paged = {
        "include-name-regex": "^GET .*/(messages|timeline)$",
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "400", "401", "404"]
            }
        },
    }
    config = SchemathesisConfig.from_dict({**settings, "operations": [paged]})
    return schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", fuzzed_app, config=config
    )


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def sent(api_schema) -> Iterator[Counter[str]]:
    """Counts the requests of a run, by operation: at least half of
    ``AT_LEAST``."""
    counts: Counter[str] = Counter()
    yield counts
    assert sum(counts.values()) >= AT_LEAST / 2, counts


@pytest.fixture(autouse=True)
def old_node_id(request):
    """schemathesis 4.32 reads and renames the test's id by the name pytest
    gave it before 9.2 (``_nodeid``): give it that name."""
    request.node._nodeid = request.node.nodeid


@settings(
    max_examples=PER_OPERATION,
    derandomize=True,  # the same requests on every run
    database=None,  # and no .hypothesis folder left behind
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@schema.parametrize()
def test_every_answer_is_one_the_document_gives(case, fuzzed_app, sent):
    authorization = case.headers and case.headers.get("Authorization", "")
    if case.operation.label == f"DELETE {TOKENS}" and authorization:
        # Revoking spends the token: this request revokes a new one.
        case.headers["Authorization"] = f"Bearer {new_token(fuzzed_app)}"
    case.call_and_validate()
    sent[case.operation.label] += 1
