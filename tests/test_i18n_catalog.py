"""Every text a user reads has an Indonesian translation, and both languages render."""

from pathlib import Path

from babel.messages.extract import extract_from_dir

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
