"""The password rule (ASVS 2.1, NIST 800-63B): 12 to 128 characters of any kind, not easy to guess.

No composition rules. A password is refused when zxcvbn's offline dictionaries (common and
breached passwords, words, names) or its patterns (repeats, sequences, keyboard walks, dates)
say it can be guessed in fewer than about 10^8 tries; the message says which.
"""

from flask_babel import gettext as _
from zxcvbn import zxcvbn

MIN_PASSWORD = 12
MAX_PASSWORD = 128
MIN_SCORE = 3  # zxcvbn 0-4; 3 means "safely unguessable: moderate protection from offline attacks"
_PATTERN_REASONS = {
    "dictionary": "common",
    "repeat": "repeat",
    "sequence": "sequence",
    "spatial": "keyboard",
    "date": "date",
    "regex": "date",
}


def _reason(result: dict) -> str:
    """Name the weakest part of a password as zxcvbn matched it."""
    matches = [m for m in result["sequence"] if m["pattern"] != "bruteforce"]
    if not matches:
        return "short"
    weakest = max(matches, key=lambda m: len(m["token"]))
    if weakest["pattern"] == "dictionary" and weakest.get("dictionary_name") == "user_inputs":
        return "personal"
    return _PATTERN_REASONS.get(weakest["pattern"], "common")


def _message(reason: str) -> str:
    messages = {
        "common": _("This password is on a list of common or leaked passwords, or close to one. Choose another."),
        "personal": _("This password contains your name or email address. Choose another."),
        "repeat": _("This password repeats characters or words. Choose another."),
        "sequence": _("This password follows a simple sequence (abc, 123). Choose another."),
        "keyboard": _("This password follows the keyboard (qwerty). Choose another."),
        "date": _("This password is mostly a date or a year. Choose another."),
        "short": _("This password is too easy to guess. Make it longer."),
    }
    return messages[reason]


def password_problem(password: str, email: str = "", name: str = "") -> str | None:
    """Return why a password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD:
        return _("Use at least %(n)d characters.", n=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        return _("Use at most %(max)d characters.", max=MAX_PASSWORD)
    inputs = [v for v in (email, email.partition("@")[0], *name.split()) if v]
    if email and password.strip().lower() == email.strip().lower():
        return _("The password must not be your email address.")
    result = zxcvbn(password, user_inputs=inputs, max_length=MAX_PASSWORD)
    if result["score"] < MIN_SCORE:
        return _message(_reason(result))
    personal = sum(len(m["token"]) for m in result["sequence"] if m.get("dictionary_name") == "user_inputs")
    if personal * 2 >= len(password):  # mostly the user's own name or address: the first thing a guesser tries
        return _message("personal")
    return None
