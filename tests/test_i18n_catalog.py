"""Every text a user reads has an Indonesian translation, and both languages render."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from coordapp import i18n
from coordapp.i18n import load_catalog

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("coordapp/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None}


def _wanted_directory(path: str) -> bool:
    name = Path(path).name
    return not name.startswith(".") and name not in {"__pycache__", "node_modules", ".venv"}


def extracted_messages() -> dict[str, str]:
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT),
        METHODS,
        keywords=KEYWORDS,
        options_map={"templates/**": {"trim_blocks": "true"}},
        directory_filter=_wanted_directory,
    ):
        ids = message if isinstance(message, tuple) else (message,)
        for msgid in ids:
            if msgid:
                found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def test_every_message_has_an_indonesian_translation():
    catalog = load_catalog("id")
    missing = [
        f"{where}: {msgid!r}"
        for msgid, where in extracted_messages().items()
        if not (catalog.get(msgid) and catalog.get(msgid).string)
    ]
    assert not missing, "untranslated messages:\n" + "\n".join(sorted(missing))


def test_login_page_in_both_languages(client):
    indonesian = client.get("/auth/login", headers={"Accept-Language": "id"})
    english = client.get("/auth/login", headers={"Accept-Language": "en"})
    assert "Masuk ke CoordApp" in indonesian.get_data(as_text=True)
    assert "Log in to CoordApp" in english.get_data(as_text=True)


def test_indonesian_is_the_default_for_an_unknown_browser_language(client):
    page = client.get("/auth/login", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Masuk ke CoordApp" in page


def test_language_switch_is_one_post_and_sticks(client):
    response = client.post("/language", data={"language": "en", "next": "/auth/login"})
    assert response.status_code == 302
    assert "Log in to CoordApp" in client.get("/auth/login").get_data(as_text=True)


def _fragments(tmp_path, **texts) -> None:
    folder = tmp_path / "id"
    folder.mkdir()
    for name, text in texts.items():
        (folder / f"{name}.po").write_text(text, encoding="utf-8")


def test_a_message_translated_differently_in_two_fragments_stops_the_build(tmp_path, monkeypatch):
    _fragments(
        tmp_path,
        issues='msgid "Due date"\nmsgstr "Tenggat"\n',
        meetings='msgid "Due date"\nmsgstr "Batas waktu"\n',
    )
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path)
    with pytest.raises(i18n.ConflictingTranslations, match="Due date.*issues.po.*Tenggat.*meetings.po.*Batas waktu"):
        i18n.load_catalog("id")
    with pytest.raises(i18n.ConflictingTranslations):
        i18n.compile_catalogs()
    assert not list((tmp_path / "id").glob("LC_MESSAGES/*"))  # nothing written, not even half a catalog


def test_the_same_translation_in_two_fragments_is_accepted(tmp_path, monkeypatch):
    _fragments(tmp_path, issues='msgid "Due date"\nmsgstr "Tenggat"\n', meetings='msgid "Due date"\nmsgstr "Tenggat"\n')
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path)
    assert i18n.load_catalog("id").get("Due date").string == "Tenggat"
