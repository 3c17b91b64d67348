"""The password rule (ASVS 2.1): 12-128 characters of any kind, refused when guessable, saying why."""

import pytest
from flask_babel import force_locale

from coordapp.auth.passwords import password_problem


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short pass", "Use at least 12 characters."),
        ("x" * 129, "Use at most 128 characters."),
        ("aaaaaaaaaaaa", "repeats characters or words"),
        ("password1234", "list of common or leaked passwords"),
        ("iloveyou12345", "list of common or leaked passwords"),
        ("qwertyuiopasdf", "list of common or leaked passwords"),
        ("abcdefghijklmnop", "simple sequence"),
        ("siti.rahayu@kpu.example.org", "must not be your email address"),
        ("sitirahayu2020!", "your name or email address"),
    ],
)
def test_guessable_passwords_are_refused_with_the_reason(app, password, why):
    with force_locale("en"):
        problem = password_problem(password, email="siti.rahayu@kpu.example.org", name="Siti Rahayu")
    assert problem is not None and why in problem


@pytest.mark.parametrize(
    "password",
    [
        "lembayung senja di pelabuhan ratu",  # a few unrelated words
        "Tr0ub4dor&3xyz",
        "日本語のパスワードです長い",  # any characters
        "   spaces   around    are kept   ",
        "x" * 20 + "K9#q" + "y" * 104,  # 128 characters exactly
    ],
)
def test_strong_passwords_of_any_kind_are_accepted(app, password):
    assert password_problem(password, email="siti.rahayu@kpu.example.org", name="Siti Rahayu") is None


def test_the_reason_is_in_indonesian_by_default(app):
    assert password_problem("password1234") == (
        "Kata sandi ini ada dalam daftar kata sandi umum atau yang pernah bocor, atau mirip dengannya. Pilih yang lain."
    )
