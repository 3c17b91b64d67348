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
