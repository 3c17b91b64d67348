"""A follow-up's Write / Preview tab in a real browser: the preview shows the text as the saved page will."""

import pytest
from playwright.sync_api import expect

from coordapp.extensions import db
from tests import factories
from tests.browser import PageProblems, Screenshots, log_in

pytestmark = pytest.mark.browser
TEXT = "**Surat izin** sudah terbit.\n\n- Kecamatan Pamulang\n- Kecamatan Setu\n\n<img src=x onerror=alert(1)>"


def test_staff_preview_a_follow_up_before_adding_it(chromium, site):
    staff = factories.make_user("staff")
    issue = factories.make_issue(factories.make_election(), title="Izin lokasi kampanye", owner=staff)
    db.session.commit()
    shots = Screenshots("markdown-preview")
    context = chromium.new_context(base_url=site, locale="id-ID", timezone_id="Asia/Jakarta")
    page = context.new_page()
    problems = PageProblems(page)
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    log_in(page, staff.email)
    page.goto(f"/issues/{issue.id}")
    body = page.locator("textarea[name=body]")
    body.fill(TEXT)
    form = body.locator("xpath=ancestor::form")
    form.get_by_role("button", name="Pratinjau", exact=True).click()
    preview = form.locator(".md-preview")
    expect(preview.locator("strong")).to_have_text("Surat izin")
    expect(preview.get_by_role("listitem")).to_have_count(2)
    expect(preview).to_contain_text("<img src=x onerror=alert(1)>")  # shown as text, never run
    expect(body).to_be_hidden()
    shots.take(page, "preview")
    form.get_by_role("button", name="Tulis", exact=True).click()
    expect(body).to_be_visible()
    expect(body).to_be_focused()
    expect(body).to_have_value(TEXT)
    context.close()
    assert not alerts
    assert not problems.problems, problems.problems
