"""The Markdown fields' preview: the same sanitiser as the saved text, for signed-in users, with CSRF and limits."""

import re

import pytest

from coordapp.core.text import render_markdown
from coordapp.extensions import db
from tests import factories
from tests.test_security_csrf import _login, _token

HOSTILE = (
    "**Rapat** selesai\n\n<script>alert(1)</script>\n\n[tautan](javascript:alert(1))\n\n"
    '<img src=x onerror="alert(1)">\n\n<a href="https://kpu.example.org" onclick="alert(1)">situs</a>\n\n'
    "- satu\n- dua\n"
)


def test_the_preview_is_the_saved_texts_rendering_of_hostile_markdown(client, auth):
    auth.as_role("staff")
    response = client.post("/auth/markdown-preview", data={"text": HOSTILE})
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert html == str(render_markdown(HOSTILE))  # one sanitiser for the preview and the saved text
    assert "<strong>Rapat</strong>" in html and "<li>dua</li>" in html
    assert not re.search(r"<script|<img|href=\"javascript|<[^>]*\son\w+=", html, re.I)  # shown as text, not run
    assert "&lt;script&gt;" in html


def test_the_preview_of_a_saved_follow_up_matches_its_page(client, auth):
    staff = auth.as_role("staff")
    issue = factories.make_issue(factories.make_election(), owner=staff)
    db.session.commit()
    client.post(f"/issues/{issue.id}/follow-ups", data={"kind": "comment", "body": HOSTILE, "visibility": "internal"})
    page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    preview = client.post("/auth/markdown-preview", data={"text": HOSTILE}).get_data(as_text=True)
    assert preview in page


@pytest.mark.parametrize("role", ["staff", "manager", "admin"])
def test_every_signed_in_role_may_preview(client, auth, role):
    auth.as_role(role)
    assert client.post("/auth/markdown-preview", data={"text": "*ya*"}).get_data(as_text=True) == "<p><em>ya</em></p>\n"


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.post("/auth/markdown-preview", data={"text": "*ya*"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    assert client.get("/auth/markdown-preview").status_code == 405


def test_a_preview_without_the_pages_csrf_token_is_refused(csrf_app):
    user = factories.make_user("staff")
    db.session.commit()
    client = csrf_app.test_client()
    _login(client, user)
    assert client.post("/auth/markdown-preview", data={"text": "*ya*"}).status_code == 400
    token = _token(client, "/issues/new")
    assert (
        client.post("/auth/markdown-preview", data={"text": "*ya*"}, headers={"X-CSRFToken": token}).status_code == 200
    )


def test_too_long_a_text_gets_a_translated_413_and_an_empty_one_a_hint(client, auth):
    auth.as_role("staff")
    response = client.post("/auth/markdown-preview", data={"text": "a" * 100_001})
    assert response.status_code == 413
    assert "terlalu panjang untuk dipratinjau" in response.get_data(as_text=True)
    assert "Belum ada yang bisa dipratinjau." in client.post("/auth/markdown-preview", data={"text": " "}).get_data(
        as_text=True
    )


def test_previews_are_rate_limited(make_app):
    app = make_app(PREVIEW_RATE_LIMIT="2 per minute")
    user = factories.make_user("staff")
    db.session.commit()
    client = app.test_client()
    client.post("/auth/login", data={"email": user.email, "password": factories.PASSWORD})
    codes = [client.post("/auth/markdown-preview", data={"text": "x"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_without_javascript_a_markdown_field_is_a_plain_textarea(client, auth):
    auth.as_role("staff")
    page = client.get("/issues/new").get_data(as_text=True)
    assert re.search(r"<textarea[^>]*data-markdown", page)
    assert 'class="md-tabs"' not in page  # the tab is made by markdown.js
