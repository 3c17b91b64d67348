"""Attachments are entries of the timelines of issues and meetings: who uploaded which file, when, how big."""

import io
import re
from datetime import UTC, datetime

from coordapp.extensions import db
from coordapp.files import services
from coordapp.issues.models import FollowUp
from tests import factories
from tests.test_files_attachments import PDF


def _upload(client, parent_type: str, parent_id: int, name: str):
    return client.post(
        f"/files/{parent_type}/{parent_id}",
        data={"file": (io.BytesIO(PDF), name)},
        content_type="multipart/form-data",
    )


def _timeline(page: str, section: str) -> str:
    start = page.index(f'id="{section}"')
    return page[start : page.index("</section>", start)]


def test_an_attachment_is_an_entry_of_the_issue_timeline_in_time_order(client, auth):
    staff = auth.as_role("staff", name="Rina Staf")
    issue = factories.make_issue()
    before = FollowUp(issue=issue, kind="comment", body="Sebelum lampiran", created_dt=datetime(2020, 9, 1, tzinfo=UTC))
    db.session.add(before)
    db.session.commit()
    assert _upload(client, "issue", issue.id, "berita acara.pdf").status_code == 302
    db.session.add(
        FollowUp(issue=issue, kind="comment", body="Sesudah lampiran", created_dt=datetime(2030, 1, 1, tzinfo=UTC))
    )
    db.session.commit()
    (attachment,) = services.attachments_of("issue", issue.id)
    timeline = _timeline(client.get(f"/issues/{issue.id}").get_data(as_text=True), "timeline")
    entry = re.search(r'<li class="kind-attachment".*?</li>', timeline, re.S).group(0)
    assert "Rina Staf" in entry and "berita acara.pdf" in entry and "1 KB" in entry
    assert "Berkas dilampirkan" in entry and f"/files/{attachment.id}/berita%20acara.pdf" in entry
    assert attachment.created_dt.isoformat() in entry
    assert timeline.index("Sebelum lampiran") < timeline.index("berita acara.pdf") < timeline.index("Sesudah lampiran")
    assert staff.id == attachment.uploaded_by_id


def test_an_attachment_is_an_entry_of_the_meeting_history(client, auth):
    auth.as_role("staff", name="Dodi Notulis")
    meeting = factories.make_meeting()
    db.session.commit()
    assert _upload(client, "meeting", meeting.id, "daftar hadir.pdf").status_code == 302
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    history = page[page.index('id="history-title"') :]
    row = re.search(r'<tr class="history-attachment".*?</tr>', history, re.S).group(0)
    assert "Dodi Notulis" in row and "daftar hadir.pdf" in row and "Berkas dilampirkan" in row and "KB" in row
