"""Languages: Indonesian by default, English on request; catalogs built from per-feature fragments.

Each feature keeps its Indonesian translations in ``coordapp/translations/id/<feature>.po``
so features can be translated side by side; ``compile_catalogs`` merges the fragments into
the one ``messages.mo`` that Flask-Babel loads. Message ids are the English text. A message
several features use is translated once, in ``core.po``; the merge refuses a message id that
two fragments translate differently (it would otherwise keep one silently).
"""

import os
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, has_request_context, request
from flask_login import current_user

from coordapp.extensions import babel

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANG_COOKIE = "lang"


def select_locale() -> str:
    """Choose the reader's language: their setting, then their cookie, then their browser."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and Celery tasks: the default, unless force_locale says otherwise
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(list(languages), default=current_app.config["BABEL_DEFAULT_LOCALE"])


def select_timezone() -> str:
    """Show times in the timezone of the election being worked on."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def fragments(language: str) -> list[Path]:
    """List the translation fragments of a language."""
    return sorted((TRANSLATIONS / language).glob("*.po"))


class ConflictingTranslations(ValueError):
    """Two fragments translate the same message id differently."""


def load_catalog(language: str) -> Catalog:
    """Merge every fragment of language into one catalog; refuse a message id translated two ways."""
    merged = Catalog(locale=language, domain="messages")
    defined_in: dict = {}
    conflicts = []
    for path in fragments(language):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if not (message.id and message.string):
                    continue
                key = message.id if isinstance(message.id, str) else tuple(message.id)
                earlier = merged.get(message.id)
                if earlier is not None and earlier.string != message.string:
                    conflicts.append(
                        f"{key!r}: {defined_in[key]} says {earlier.string!r}, {path.name} {message.string!r}"
                    )
                    continue
                defined_in.setdefault(key, path.name)
                merged.add(message.id, message.string)
    if conflicts:
        raise ConflictingTranslations(
            "message ids translated differently in two fragments (keep one, reuse it):\n" + "\n".join(conflicts)
        )
    return merged


def compile_catalogs() -> list[Path]:
    """Write messages.mo for every language that has fragments; return the files written."""
    written = []
    for folder in sorted(p for p in TRANSLATIONS.iterdir() if p.is_dir()):
        catalog = load_catalog(folder.name)  # before any file is opened: a refused merge writes nothing
        target = folder / "LC_MESSAGES" / "messages.mo"
        target.parent.mkdir(exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            write_mo(handle, catalog)
        partial.replace(target)  # atomic: a reader never sees half a catalog
        written.append(target)
    return written


def init_app(app: Flask) -> None:
    """Set up Flask-Babel, compiling the catalogs when they are missing or stale."""
    newest_fragment = max((p.stat().st_mtime for p in TRANSLATIONS.glob("*/*.po")), default=0)
    compiled = list(TRANSLATIONS.glob("*/LC_MESSAGES/messages.mo"))
    if not compiled or min(p.stat().st_mtime for p in compiled) < newest_fragment:
        compile_catalogs()
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
