"""Shared template filters: dates in the reader's language, also when a page formats one date many times."""

from datetime import date

from flask_babel import force_locale

from coordapp.templating import localdate


def test_a_date_formatted_twice_in_a_request_follows_the_language_of_each_call(app):
    day = date(2020, 12, 9)
    with app.test_request_context("/"):
        indonesian = localdate(day, "long")
        with force_locale("en"):  # an English email rendered while an Indonesian page is served
            english = localdate(day, "long")
        assert localdate(day, "long") == indonesian
    assert indonesian == "9 Desember 2020"
    assert english == "December 9, 2020"


def test_an_empty_date_is_blank(app):
    with app.test_request_context("/"):
        assert localdate(None) == ""


def test_day_figures_use_the_readers_decimal_sign_and_a_dash_for_nothing(app):
    from coordapp.dashboard.formatting import days

    with app.test_request_context("/"):
        assert (days(1.25), days(0), days(12.04), days(1234.56), days(None)) == ("1,2", "0,0", "12,0", "1.234,6", "–")
        with force_locale("en"):
            assert (days(1.25), days(-3.06), days(1234.56)) == ("1.2", "-3.1", "1,234.6")


def test_issue_links_escape_what_they_show(app):
    from markupsafe import Markup

    from coordapp.dashboard.formatting import issues_link
    from coordapp.issues.filters import IssueFilter

    with app.test_request_context("/"):
        link = issues_link(IssueFilter(q='"><script>', status=["open"]), "<b>5</b>", title='a "b"', class_="overdue")
    assert isinstance(link, Markup)
    assert link == (
        '<a href="/issues/?status=open&amp;q=%22%3E%3Cscript%3E" class="overdue" title="a &#34;b&#34;">'
        "&lt;b&gt;5&lt;/b&gt;</a>"
    )


def test_select_options_mark_the_chosen_one_and_escape_names():
    from coordapp.templating import select_options

    html = select_options([(1, "KPU"), (12, 'Tim "A" <Paslon 1>')], 12)
    assert html == (
        '<option value="1">KPU</option><option value="12" selected>Tim &#34;A&#34; &lt;Paslon 1&gt;</option>'
    )
    assert "selected" not in select_options([(1, "KPU")], None)
