"""Markdown in descriptions and follow-ups is rendered, and nothing active reaches the page."""

from html.parser import HTMLParser

import pytest

from coordapp.extensions import db
from coordapp.issues import services
from tests.issues_support import issue_form_data, make_world

ATTACKS = [
    "<script>alert('x')</script>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">tautan</a>',
    "![gambar](javascript:alert(1))",
    '<iframe src="https://example.org"></iframe>',
]


class _ActiveParts(HTMLParser):
    """Collect what a browser would run: scripts, frames, event handlers, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and not (dict(attrs).get("src") or "").startswith("/static/"):
            self.found.append(tag)
        if tag in ("iframe", "object", "embed"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith(("javascript:", "data:")):
                self.found.append(f"{tag} {name}={value}")


def _assert_inert(page: str) -> None:
    parser = _ActiveParts()
    parser.feed(page)
    assert parser.found == []


@pytest.mark.parametrize("attack", ATTACKS)
def test_description_cannot_carry_script(client, auth, attack):
    world = make_world()
    auth.login(world.owner)
    data = issue_form_data(world, world.owner, description=f"**Penting**\n\n{attack}")
    assert client.post(f"/issues/{world.issue.id}/edit", data=data).status_code == 302
    page = client.get(f"/issues/{world.issue.id}").get_data(as_text=True)
    assert "<strong>Penting</strong>" in page
    _assert_inert(page)


@pytest.mark.parametrize("attack", ATTACKS)
def test_follow_up_cannot_carry_script(client, auth, attack):
    world = make_world()
    auth.login(world.other)
    response = client.post(
        f"/issues/{world.issue.id}/follow-ups", data={"kind": "comment", "body": f"- satu\n- {attack}"}
    )
    assert response.status_code == 302
    page = client.get(f"/issues/{world.issue.id}").get_data(as_text=True)
    assert "<li>satu</li>" in page
    _assert_inert(page)


def test_markdown_links_and_lists_render(client, auth):
    world = make_world()
    services.add_follow_up(
        world.issue, body="Lihat [jadwal](https://kpu.example.org/jadwal)\n\n1. satu\n2. dua", author_user=world.owner
    )
    db.session.commit()
    auth.login(world.owner)
    page = client.get(f"/issues/{world.issue.id}").get_data(as_text=True)
    assert 'href="https://kpu.example.org/jadwal"' in page and 'rel="noopener noreferrer nofollow"' in page
    assert "<ol>" in page and "<li>dua</li>" in page


def test_titles_are_escaped_everywhere(client, auth):
    world = make_world()
    world.issue.title = "<b>Judul</b> & <script>x</script>"
    db.session.commit()
    auth.login(world.owner)
    for url in (f"/issues/{world.issue.id}", "/issues/", "/issues/mine"):
        page = client.get(url).get_data(as_text=True)
        assert "&lt;b&gt;Judul&lt;/b&gt; &amp; &lt;script&gt;" in page
        assert "<script>x" not in page
