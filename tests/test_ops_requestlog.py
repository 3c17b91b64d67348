"""One structured line per request, with an id the user sees on the error page and nothing personal."""

import json
import logging

import pytest

from coordapp.extensions import db
from tests import factories

LOGGER = "coordapp.request"


def _lines(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == LOGGER]


@pytest.fixture
def json_logs(app):
    app.config["LOG_FORMAT"] = "json"


def test_each_request_logs_one_json_line_with_its_id(app, client, auth, caplog, json_logs):
    user = factories.make_user("staff", email="siti.rahma@example.org", name="Siti Rahma")
    issue = factories.make_issue(title="Logistik surat suara")
    db.session.commit()
    auth.login(user)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger=LOGGER):
        response = client.get(f"/issues/{issue.id}?q=rahasia")
    assert response.status_code == 200
    [line] = _lines(caplog)
    fields = json.loads(line)
    assert fields["request_id"] == response.headers["X-Request-ID"]
    assert fields["user_id"] == user.id
    assert fields["route"] == "/issues/<int:issue_id>"
    assert fields["status"] == 200
    assert fields["queries"] > 0 and fields["duration_ms"] >= 0
    for personal in ("siti.rahma", "Siti Rahma", "Logistik", "rahasia", str(issue.id) + "?"):
        assert personal not in line


def test_the_error_page_shows_the_request_id(app, client, caplog):
    with caplog.at_level(logging.INFO, logger=LOGGER):
        response = client.get("/no-such-page", headers={"X-Request-ID": "proxy-given-0001"})
    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == "proxy-given-0001"
    assert "proxy-given-0001" in response.get_data(as_text=True)
    assert "request_id=proxy-given-0001" in _lines(caplog)[-1]
    assert "status=404" in _lines(caplog)[-1]


def test_a_malformed_incoming_id_is_replaced(app, client):
    response = client.get("/no-such-page", headers={"X-Request-ID": "<script>x</script>"})
    assert "<script>" not in response.headers["X-Request-ID"]
    assert len(response.headers["X-Request-ID"]) == 32
