"""The history of a new record says "Created" and lists its first values, not "— → value" for every field."""

import re

from coordapp.extensions import db
from tests.issues_support import make_world


def _history_rows(page: str) -> list[str]:
    section = page[page.index('aria-labelledby="history-title"') :]
    return re.findall(r"<tr>(.*?)</tr>", section[section.index("<tbody>") :], re.S)


def test_a_new_issue_history_says_created_with_its_first_values(client, auth):
    world = make_world()
    auth.login(world.owner)
    (created,) = _history_rows(client.get(f"/issues/{world.issue.id}").get_data(as_text=True))
    assert "Dibuat" in created
    assert "→" not in created and "change-old" not in created
    assert "<summary>Isian awal</summary>" in created
    assert '<span class="change-field">Judul</span>: <span class="change-new">1.200 warga belum punya e-KTP' in created


def test_a_later_change_still_shows_old_and_new(client, auth):
    world = make_world()
    world.issue.title = "Warga tanpa e-KTP"
    db.session.commit()
    auth.login(world.owner)
    client.post("/language", data={"language": "en"})
    changed, created = _history_rows(client.get(f"/issues/{world.issue.id}").get_data(as_text=True))
    assert "Changed" in changed and '<span class="change-new">Warga tanpa e-KTP</span>' in changed
    assert '<span class="change-old">1.200 warga belum punya e-KTP sebelum DPT ditetapkan</span> →' in changed
    assert "Created" in created and "<summary>First values</summary>" in created and "→" not in created


def test_the_audit_page_lists_a_creation_the_same_way(client, auth):
    world = make_world()
    auth.login(world.admin)
    page = client.get("/audit/?entity_type=issues").get_data(as_text=True)
    assert "<summary>Isian awal</summary>" in page
    assert page.count("change-old") == 0  # only creations so far
