"""Every form is built on the one base form, so WTForms' own messages and the shared ones read the same everywhere."""

import importlib
import pkgutil

from flask_wtf import FlaskForm

import coordapp
from coordapp.forms import TranslatedForm
from tests.test_elections_admin import _election_form


def _form_classes() -> list[type]:
    """Import every coordapp module and return the form classes they define."""
    for module in pkgutil.walk_packages(coordapp.__path__, "coordapp."):
        if module.name not in ("coordapp.worker",):  # builds an app at import
            importlib.import_module(module.name)
    found, todo = [], [FlaskForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("coordapp."):
                found.append(sub)
    return found


def test_every_form_is_built_on_the_base_form():
    forms = _form_classes()
    assert len(forms) > 15  # auth, elections, stakeholders, meetings, issues, reminders, audit, dashboard
    outside = [f"{form.__module__}.{form.__name__}" for form in forms if not issubclass(form, TranslatedForm)]
    assert not outside, "forms not built on coordapp.forms.TranslatedForm: " + ", ".join(outside)


def test_wtforms_own_messages_are_translated_on_an_admin_form(client, auth):
    auth.as_role("admin")
    page = client.post("/admin/elections/new", data=_election_form(name="", voting_date="27/11/2024"))
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Kolom ini wajib diisi." in text and "This field is required." not in text
    assert "Tanggal tidak valid." in text


def test_too_long_reads_the_same_on_every_form(client, auth):
    auth.as_role("admin")
    page = client.post("/admin/elections/new", data=_election_form(name="x" * 201)).get_data(as_text=True)
    organization = client.post("/stakeholders/new", data={"name": "x" * 201, "category": "media"})
    assert "Gunakan paling banyak 200 karakter." in organization.get_data(as_text=True)
    assert "Gunakan paling banyak 200 karakter." in page
