"""Rules of the stakeholder register, without HTTP."""

from datetime import UTC, datetime

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from coordapp.audit.services import history_for
from coordapp.extensions import db
from coordapp.stakeholders import services
from coordapp.stakeholders.export import neutralise
from coordapp.stakeholders.models import Organization
from coordapp.stakeholders.services import RegisterFilter
from tests.factories import make_contact, make_election, make_issue, make_meeting, make_organization


def _names(register_filter: RegisterFilter) -> list[str]:
    return [org.name for org in services.list_organizations(register_filter, per_page=50).items]


@pytest.fixture
def register(app):
    bawaslu = make_organization(name="Bawaslu Kota Tangerang Selatan", short_name="Bawaslu", category="supervisory")
    make_contact(bawaslu, name="Rina Wulandari", email="rina@bawaslu.example.org")
    dukcapil = make_organization(name="Dinas Kependudukan dan Pencatatan Sipil", short_name="Disdukcapil")
    make_contact(dukcapil, name="Budi Santoso", email="budi@tangsel.example.org")
    old = make_organization(name="Radio Lama FM", short_name="", category="media", is_active=False)
    db.session.commit()
    return bawaslu, dukcapil, old


@pytest.mark.parametrize(
    "query, expected",
    [
        ("bawaslu", ["Bawaslu Kota Tangerang Selatan"]),  # organization name, any case
        ("DISDUK", ["Dinas Kependudukan dan Pencatatan Sipil"]),  # short name
        ("wulandari", ["Bawaslu Kota Tangerang Selatan"]),  # contact name
        ("tangsel.example", ["Dinas Kependudukan dan Pencatatan Sipil"]),  # contact email
        ("100%", []),  # wildcards are taken literally
    ],
)
def test_search_finds_organizations_by_name_short_name_contact_and_email(register, query, expected):
    assert _names(RegisterFilter(q=query)) == expected


def test_list_shows_active_organizations_unless_asked(register):
    assert "Radio Lama FM" not in _names(RegisterFilter())
    assert _names(RegisterFilter(active="no")) == ["Radio Lama FM"]
    assert len(_names(RegisterFilter(active="all"))) == 3


def test_category_filter_and_counts_per_category(register):
    assert _names(RegisterFilter(category="supervisory")) == ["Bawaslu Kota Tangerang Selatan"]
    counts = services.category_counts(RegisterFilter(category="supervisory"))
    assert counts == {"supervisory": 1, "government": 1}  # counts ignore the chosen category, not the active filter


def test_filter_reads_query_args_and_drops_nonsense():
    register_filter = RegisterFilter.from_args(
        MultiDict({"q": " pers ", "category": "aliens", "active": "maybe", "page": "-3"})
    )
    assert register_filter == RegisterFilter(q="pers")
    assert RegisterFilter.from_args(MultiDict(register_filter.to_args(page=2))) == RegisterFilter(q="pers", page=2)
    assert RegisterFilter().to_args() == {}


def test_open_issue_counts_leave_out_resolved_and_archived_issues(app):
    org = make_organization()
    election = make_election(with_stages=False)
    for status, archived in [("open", False), ("waiting", False), ("resolved", False), ("open", True)]:
        issue = make_issue(election, status=status, is_archived=archived)
        issue.organizations.append(org)
    db.session.flush()
    assert services.open_issue_counts([org.id]) == {org.id: 2}
    assert services.open_issue_counts([]) == {}


def test_organization_page_data_lists_its_meetings_and_unresolved_issues(app):
    org = make_organization()
    election = make_election()
    mine = make_meeting(election, title="Rakor DPT")
    mine.organizations.append(org)
    make_meeting(election, title="Rapat lain")
    open_issue = make_issue(election, title="1.200 warga tanpa e-KTP")
    done = make_issue(election, status="closed")
    open_issue.organizations.append(org)
    done.organizations.append(org)
    db.session.flush()
    assert [m.title for m in services.meetings_of(org)] == ["Rakor DPT"]
    assert services.open_issues_of(org) == [open_issue]


@pytest.mark.parametrize(
    "influence, interest, expected",
    [
        (5, 5, "manage_closely"),
        (4, 4, "manage_closely"),
        (5, 1, "keep_satisfied"),
        (4, 3, "keep_satisfied"),
        (3, 4, "keep_informed"),
        (1, 5, "keep_informed"),
        (3, 3, "monitor"),
        (1, 1, "monitor"),
    ],
)
def test_quadrant_of_a_cell(influence, interest, expected):
    assert services.quadrant(influence, interest) == expected


def test_grid_places_each_organization_in_its_cell(app):
    high = make_organization(influence=5, interest=4)
    low = make_organization(influence=1, interest=2)
    cells = services.grid([high, low])
    assert len(cells) == 25
    assert cells[(5, 4)] == [high] and cells[(1, 2)] == [low]
    assert sum(len(orgs) for orgs in cells.values()) == 2


def test_grid_leaves_out_deactivated_organizations(app):
    make_organization(name="Aktif", category="media")
    make_organization(name="Arsip", is_active=False)
    make_organization(name="Pemkot", category="government")
    assert [o.name for o in services.grid_organizations()] == ["Aktif", "Pemkot"]
    assert [o.name for o in services.grid_organizations("media")] == ["Aktif"]


def test_contact_email_is_stored_lower_case_and_found_whatever_the_case(app):
    org = make_organization()
    contact = services.save_contact(
        None,
        {
            "organization_id": org.id,
            "name": "Rina",
            "position": "",
            "email": " Rina@Bawaslu.Example.ORG ",
            "phone": "",
            "language": "id",
            "reminder_mode": "daily",
        },
    )
    db.session.flush()
    assert contact.email == "rina@bawaslu.example.org"
    assert services.contact_with_email("RINA@bawaslu.example.org") is contact
    assert services.contact_with_email("rina@bawaslu.example.org", exclude_id=contact.id) is None


def test_organization_name_is_unique_whatever_the_case(app):
    org = make_organization(name="KPU Provinsi Banten")
    assert services.organization_named("  kpu provinsi banten ") is org
    assert services.organization_named("KPU Provinsi Banten", exclude_id=org.id) is None


def test_deactivating_is_reversible_and_written_to_the_history(app):
    org = make_organization()
    db.session.commit()
    services.set_active(org, False)
    db.session.commit()
    services.set_active(org, True)
    db.session.commit()
    assert db.session.get(Organization, org.id).is_active
    with force_locale("en"):
        changes = [event.changes.get("is_active") for event in history_for("organizations", org.id)]
    assert changes[:2] == [[False, True], [True, False]]  # newest first


def test_a_deactivated_organization_silences_its_contacts(app):
    contact = make_contact()
    assert contact.wants_reminders
    contact.organization.is_active = False
    assert not contact.wants_reminders
    contact.organization.is_active = True
    contact.unsubscribed_dt = datetime(2020, 10, 1, tzinfo=UTC)
    assert not contact.wants_reminders


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+62 21 555", "'+62 21 555"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Bawaslu", "Bawaslu"),
        (3, "3"),
        (None, ""),
    ],
)
def test_export_neutralises_cells_a_spreadsheet_would_run(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize(
    "phone, ok",
    [
        ("+62 21 555 0101", True),
        ("(021) 555-0101", True),
        ("0812.3456.789", True),
        ("call me", False),
        ("=1+1", False),
        ("12", False),
    ],
)
def test_phone_numbers(app, phone, ok):
    with force_locale("en"):
        assert (services.phone_problem(phone) is None) is ok
