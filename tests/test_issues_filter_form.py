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


def test_the_issue_list_and_the_issues_by_stage_label_their_filters_alike(client, auth):
    election = factories.make_election()
    factories.make_election()  # two elections: the list offers the election too
    db.session.commit()
    auth.as_role("manager")
    staff_list = _form_labels(client.get("/issues/").get_data(as_text=True))
    by_stage = _form_labels(client.get(f"/dashboard/issues?election_id={election.id}").get_data(as_text=True))
    assert staff_list == by_stage
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
                "overdue": "1",
                "q": "baliho",
                "archived": "1",
            }
        )
    )
    with force_locale("en"):
        (lines,) = describe([everything], "en")
        assert describe([IssueFilter(owner="none")], "en") == [["Owner: nobody"]]
        assert describe([IssueFilter()], "en") == [[]]
    assert len(lines) == len(DESCRIBED)  # one line per field: a new field gets words without a change elsewhere
    assert "Owner: Sari Wulandari" in lines and "Overdue only" in lines and "Text: baliho" in lines
