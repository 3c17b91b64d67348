"""IssueFilter: reading query args, round trips, and the rows each filter keeps."""

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from coordapp.extensions import db
from coordapp.issues.filters import IssueFilter
from coordapp.issues.models import Issue
from tests import factories

TODAY = date(2020, 10, 10)


def _titles(f: IssueFilter) -> set[str]:
    stmt = f.apply(db.select(Issue.title), TODAY)
    return set(db.session.execute(stmt).scalars())


def test_from_args_reads_every_field():
    args = MultiDict(
        [
            ("election_id", "3"),
            ("stage", "4"),
            ("stage", "5"),
            ("status", "open"),
            ("status", "waiting"),
            ("priority", "high"),
            ("organization", "7"),
            ("category", "media"),
            ("owner", "9"),
            ("overdue", "1"),
            ("q", "  e-KTP   warga "),
            ("archived", "on"),
            ("sort", "due"),
        ]
    )
    f = IssueFilter.from_args(args)
    assert f == IssueFilter(
        election_id=3,
        stage=[4, 5],
        status=["open", "waiting"],
        priority=["high"],
        organization=7,
        category="media",
        owner=9,
        overdue=True,
        q="e-KTP warga",
        archived=True,
        sort="due",
    )


def test_from_args_ignores_values_that_mean_nothing():
    args = MultiDict(
        [
            ("election_id", "x"),
            ("stage", "abc"),
            ("stage", "2"),
            ("status", "deleted"),
            ("priority", "urgent"),
            ("owner", "someone"),
            ("category", "aliens"),
            ("overdue", "no"),
            ("sort", "DROP TABLE"),
        ]
    )
    assert IssueFilter.from_args(args) == IssueFilter(stage=[2])


def test_owner_none_means_unowned():
    assert IssueFilter.from_args(MultiDict({"owner": "none"})).owner == "none"


@pytest.mark.parametrize(
    "f",
    [
        IssueFilter(),
        IssueFilter(
            election_id=1,
            stage=[2, 3],
            status=["open", "in_progress"],
            priority=["low", "critical"],
            organization=4,
            category="security",
            owner="none",
            overdue=True,
            q="izin tempat",
            archived=True,
            sort="-priority",
        ),
        IssueFilter(owner=12, sort="due"),
        IssueFilter(status=[], due_after=date(2020, 10, 1), due_before=date(2020, 12, 9)),
    ],
)
def test_to_args_round_trips(f):
    assert IssueFilter.from_args(MultiDict(f.to_args())) == f
    assert (
        IssueFilter.from_args(
            MultiDict([(k, str(v)) for k, vs in f.to_args().items() for v in (vs if isinstance(vs, list) else [vs])])
        )
        == f
    )


def test_to_args_leaves_defaults_out():
    assert IssueFilter().to_args() == {}
    assert IssueFilter(overdue=True).to_args() == {"overdue": "1"}


def test_the_list_opens_on_unresolved_issues_soonest_due_and_status_all_shows_every_status():
    assert IssueFilter.from_args(MultiDict()) == IssueFilter(status=["open", "in_progress", "waiting"], sort="due")
    assert IssueFilter.from_args(MultiDict({"status": "all"})).status == []
    assert IssueFilter(status=[]).to_args() == {"status": "all"}
    # the filter form sends an empty status beside its boxes: none ticked means every status
    assert IssueFilter.from_args(MultiDict([("status", "")])).status == []
    assert IssueFilter.from_args(MultiDict([("status", ""), ("status", "waiting")])).status == ["waiting"]


def test_args_written_before_the_open_default_read_as_every_status():
    assert IssueFilter.from_args(MultiDict({"stage": "3"}), legacy=True) == IssueFilter(stage=[3], status=[])
    assert IssueFilter.from_args(MultiDict({"status": "open"}), legacy=True).status == ["open"]


@pytest.mark.parametrize(
    "query, field, words",
    [
        ({"stage": "abc"}, "stage", "“abc” bukan salah satu pilihan “Tahapan”"),
        ({"due_before": "2026-13-40"}, "due_before", "“2026-13-40” bukan tanggal (tulis sebagai TTTT-BB-HH)"),
        ({"status": "deleted"}, "status", "“deleted” bukan salah satu pilihan “Status”"),
        ({"owner": "9" * 4400}, "owner", "“" + "9" * 40 + "…”"),
        ({"sort": "DROP TABLE"}, "sort", "“DROP TABLE” bukan salah satu pilihan “Urutan”"),
    ],
)
def test_values_that_cannot_be_read_are_named_in_a_translated_problem(app, query, field, words):
    with app.test_request_context():
        f, problems = IssueFilter.read(MultiDict(query))
        assert [p.field for p in problems] == [field]
        assert words in problems[0].message and "kondisi itu diabaikan" in problems[0].message
    assert f == IssueFilter()  # the condition is left out, the rest of the list stays


def test_filters_keep_the_right_rows(app):
    election = factories.make_election()
    other_election = factories.make_election()
    owner = factories.make_user("staff")
    media = factories.make_organization(category="media")
    police = factories.make_organization(category="security")
    s1, s2 = election.stages[0], election.stages[1]
    factories.make_issue(
        election,
        title="Warga tanpa e-KTP",
        stage=s1,
        priority="high",
        owner=owner,
        due_date=date(2020, 10, 1),
        organizations=[media],
    )
    factories.make_issue(
        election,
        title="Izin tempat kampanye",
        description="Lokasi di PAMULANG",
        stage=s2,
        status="waiting",
        due_date=date(2020, 10, 20),
        organizations=[police],
    )
    factories.make_issue(
        election, title="Logistik terlambat", stage=s2, status="resolved", due_date=date(2020, 9, 1), owner=owner
    )
    factories.make_issue(election, title="Arsip lama", is_archived=True)
    factories.make_issue(other_election, title="Pemilihan lain")
    db.session.commit()

    assert _titles(IssueFilter(status=[])) == {  # every status
        "Warga tanpa e-KTP",
        "Izin tempat kampanye",
        "Logistik terlambat",
        "Pemilihan lain",
    }
    assert _titles(IssueFilter()) == {"Warga tanpa e-KTP", "Izin tempat kampanye", "Pemilihan lain"}  # unresolved
    assert _titles(IssueFilter(election_id=election.id, status=[])) == {
        "Warga tanpa e-KTP",
        "Izin tempat kampanye",
        "Logistik terlambat",
    }
    assert _titles(IssueFilter(stage=[s2.id], status=[])) == {"Izin tempat kampanye", "Logistik terlambat"}
    assert _titles(IssueFilter(status=["open", "waiting"], election_id=election.id)) == {
        "Warga tanpa e-KTP",
        "Izin tempat kampanye",
    }
    assert _titles(IssueFilter(priority=["high", "critical"])) == {"Warga tanpa e-KTP"}
    assert _titles(IssueFilter(organization=police.id)) == {"Izin tempat kampanye"}
    assert _titles(IssueFilter(category="media")) == {"Warga tanpa e-KTP"}
    assert _titles(IssueFilter(owner=owner.id, status=[])) == {"Warga tanpa e-KTP", "Logistik terlambat"}
    assert _titles(IssueFilter(owner="none", election_id=election.id)) == {"Izin tempat kampanye"}
    # overdue: unresolved and past due; the resolved one past due is not overdue
    assert _titles(IssueFilter(overdue=True, election_id=election.id)) == {"Warga tanpa e-KTP"}
    # q searches title and description, any case
    assert _titles(IssueFilter(q="e-ktp")) == {"Warga tanpa e-KTP"}
    assert _titles(IssueFilter(q="pamulang")) == {"Izin tempat kampanye"}
    assert _titles(IssueFilter(q="100%")) == set()
    assert _titles(IssueFilter(archived=True)) == {"Arsip lama"}
    assert _titles(
        IssueFilter(election_id=election.id, due_after=date(2020, 10, 1), due_before=date(2020, 10, 19), status=[])
    ) == {"Warga tanpa e-KTP"}


def test_skip_leaves_a_filter_out(app):
    election = factories.make_election()
    factories.make_issue(election, title="A", status="open")
    factories.make_issue(election, title="B", status="waiting")
    db.session.commit()
    f = IssueFilter(status=["open"])
    assert set(db.session.execute(f.apply(db.select(Issue.title), TODAY, skip=("status",))).scalars()) == {"A", "B"}
