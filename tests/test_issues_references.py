"""#66 in Markdown: staff follow it to the issue; a stakeholder or the public only to a published issue's
public page, with its public title; otherwise it stays plain text and no internal title leaks."""

import re

import pytest
from flask import render_template_string

from coordapp.core.text import render_markdown
from coordapp.core.visibility import PUBLIC_READER, STAFF, Reader
from coordapp.extensions import db
from tests import factories
from tests.issues_support import make_world
from tests.querycount import count_queries

CONTACT = Reader("contact", contact_id=1, organization_id=1)


@pytest.fixture
def referenced(app):
    election = factories.make_election()
    secret = factories.make_issue(election, title="Dugaan politik uang oleh tim Paslon 2")
    published = factories.make_issue(
        election, title="Judul internal logistik", is_public=True, public_title="Logistik TPS terlambat"
    )
    archived = factories.make_issue(election, title="Arsip internal", is_public=True, is_archived=True)
    db.session.commit()
    return secret, published, archived


def test_staff_follow_a_reference_to_the_issue_on_its_timeline(client, auth, referenced):
    secret, published, archived = referenced
    world = make_world()
    auth.login(world.owner)
    body = f"Terkait #{secret.id}, lihat juga #999999 dan `#{secret.id}`."
    assert (
        client.post(f"/issues/{world.issue.id}/follow-ups", data={"kind": "comment", "body": body}).status_code == 302
    )
    page = client.get(f"/issues/{world.issue.id}").get_data(as_text=True)
    assert re.search(
        rf'<a href="/issues/{secret.id}" title="Dugaan politik uang oleh tim Paslon 2"[^>]*>#{secret.id}</a>', page
    )
    assert "#999999" in page and 'href="/issues/999999"' not in page  # no such issue: plain text
    assert f"<code>#{secret.id}</code>" in page  # code is left as written


@pytest.mark.parametrize("reader", [PUBLIC_READER, CONTACT], ids=["public", "contact"])
def test_outside_staff_a_reference_links_only_to_a_published_issue_by_its_public_title(app, referenced, reader):
    secret, published, archived = referenced
    with app.test_request_context():
        html = str(render_markdown(f"Dibahas: #{secret.id}, #{published.id} dan #{archived.id}.", reader))
    assert "Dugaan politik uang" not in html and "Judul internal" not in html and "Arsip internal" not in html
    assert f"/issues/{secret.id}" not in html and f"#{secret.id}," in html  # plain text, no link
    assert f"/issues/{archived.id}" not in html
    link = re.search(rf'<a href="([^"]+)" title="Logistik TPS terlambat"[^>]*>#{published.id}</a>', html)
    assert link and link.group(1).endswith(f"/public/issues/{published.id}") and link.group(1).startswith("http")


def test_staff_read_every_reference_with_its_title(app, referenced):
    secret, published, archived = referenced
    with app.test_request_context():
        html = str(render_markdown(f"#{secret.id} #{published.id}", STAFF))
    assert f'href="/issues/{secret.id}" title="Dugaan politik uang oleh tim Paslon 2"' in html
    assert f'href="/issues/{published.id}" title="Judul internal logistik"' in html


def test_templates_choose_the_reader_and_the_default_is_the_public(app, referenced):
    secret, published, archived = referenced
    with app.test_request_context():
        for template in ("{{ text|markdown }}", '{{ text|markdown("contact") }}'):
            html = render_template_string(template, text=f"#{secret.id}")
            assert "Dugaan" not in html and "<a " not in html
        assert "Dugaan" in render_template_string('{{ text|markdown("staff") }}', text=f"#{secret.id}")


def test_the_public_meeting_page_never_reveals_an_unpublished_issue(client, referenced):
    secret, published, archived = referenced
    meeting = factories.make_meeting(
        secret.election,
        is_public=True,
        public_title="Rakor logistik",
        public_summary=f"Disepakati tindak lanjut #{secret.id} dan #{published.id}.",
    )
    db.session.commit()
    page = client.get(f"/public/meetings/{meeting.id}").get_data(as_text=True)
    assert "Disepakati tindak lanjut" in page
    assert "Dugaan politik uang" not in page and f'href="/issues/{secret.id}"' not in page
    assert "Logistik TPS terlambat" in page and "Judul internal logistik" not in page


def test_all_references_of_a_text_cost_one_query_and_a_text_without_any_none(app, referenced):
    secret, published, archived = referenced
    many = " ".join(f"#{n}" for n in range(1, 40))
    with app.test_request_context():
        with count_queries() as counted:
            render_markdown(many, STAFF)
        assert counted.count == 1
        with count_queries() as counted:
            render_markdown("Rapat **selesai**, nomor 66 tanpa tanda pagar; page#66", STAFF)
        assert counted.count == 0
