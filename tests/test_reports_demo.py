"""The demo's reports on top of the real demo: figures from its data, and no person on any public report page."""

from datetime import date

from coordapp.auth.models import User
from coordapp.demo.services import seed_demo
from coordapp.elections.models import Election
from coordapp.extensions import db
from coordapp.files.storage import store
from coordapp.issues.models import Issue
from coordapp.reports.demo import seed_demo_reports
from coordapp.reports.models import AccountabilityReport
from coordapp.stakeholders.models import Contact
from tests.test_reports_workflow import pdf_text


def test_public_report_pages_of_the_demo_show_no_person_and_no_internal_text(client):
    seed_demo(date(2026, 12, 2), password=lambda: "kuda-laut-berlari-di-serpong-2020")
    election = db.session.execute(db.select(Election).filter_by(slug="pilkada-tangsel-2020")).scalar_one()
    assert seed_demo_reports(election) == []  # seed-demo made them already; a second run adds nothing
    reports = db.session.scalars(db.select(AccountabilityReport).filter_by(election_id=election.id)).all()
    db.session.commit()
    assert any(r.latest.figures["meetings_held"] for r in reports)
    assert any(r.latest.figures["issues_raised"] for r in reports)
    secrets = set()
    for contact in db.session.scalars(db.select(Contact)):
        secrets |= {contact.name, contact.email, contact.phone}
    secrets |= set(db.session.scalars(db.select(User.name))) | set(db.session.scalars(db.select(User.email)))
    secrets |= set(db.session.scalars(db.select(Issue.title).where(Issue.is_public.is_(False))))
    secrets |= set(db.session.scalars(db.select(Issue.description)))
    secrets = {s for s in secrets if s and len(s) > 3}
    urls = []
    for report in reports:
        urls.append(f"/public/reports/{report.id}")
        urls += [f"/public/reports/{report.id}/v{v.number}" for v in report.versions]
    leaks = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        found = sorted(s for s in secrets if s in page)
        if found:
            leaks[url] = found
    for report in reports:
        text = pdf_text(store().get(report.latest.pdf_sha256))
        found = sorted(s for s in secrets if s in text)
        if found:
            leaks[f"pdf {report.id}"] = found
    assert leaks == {}
