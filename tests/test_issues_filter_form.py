"""One filter form for every issue list, labelled and described from IssueFilter's own fields."""

import re
from dataclasses import fields

from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from coordapp.extensions import db
from coordapp.issues.filters import DESCRIBED, IssueFilter, describe
from tests import factories


def _form_labels(html: str) -> list[str]:
    form = html[html.index('role="search"') : html.index("</form>", html.index('role="search"'))]
    return re.findall(r"<label for=\"\w+\">([^<]+)</label>|<legend>([^<]+)</legend>", form)


def test_the_one_list_labels_its_filters_alike_for_staff_and_managers(client, auth):
    factories.make_election()
    factories.make_election()  # two elections: the list offers the election too
    db.session.commit()
    auth.as_role("manager")
    manager_list = _form_labels(client.get("/issues/").get_data(as_text=True))
    auth.logout()
    auth.as_role("staff")
    staff_list = _form_labels(client.get("/issues/").get_data(as_text=True))
    assert staff_list == manager_list
    assert ("Tahapan", "") in staff_list and ("Kategori", "") in staff_list and ("", "Prioritas") in staff_list


def test_every_filter_field_has_a_label_and_reads_in_a_description(app):
    assert all(f.metadata.get("label") for f in fields(IssueFilter))
    election = factories.make_election()
    org = factories.make_organization(category="media")
    owner = factories.make_user("staff", name="Sari Wulandari")
    db.session.commit()
    everything = IssueFilter.from_args(
        MultiDict(
            {
                "election_id": election.id,
                "stage": election.stages[0].id,
                "status": "open",
                "priority": "high",
                "organization": org.id,
                "category": "media",
                "owner": owner.id,
                "due_after": "2020-10-01",
                "due_before": "2020-12-09",
                "overdue": "1",
                "q": "baliho",
                "archived": "1",
            }
        )
    )
    with force_locale("en"):
        (lines,) = describe([everything], "en")
        assert describe([IssueFilter(owner="none", status=[])], "en") == [["Owner: nobody"]]
        assert describe([IssueFilter(status=[])], "en") == [[]]
        assert describe([IssueFilter()], "en") == [["Status: open (not resolved or closed)"]]
    assert len(lines) == len(DESCRIBED)  # one line per field: a new field gets words without a change elsewhere
    assert "Owner: Sari Wulandari" in lines and "Overdue only" in lines and "Text: baliho" in lines
