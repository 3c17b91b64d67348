"""`flask create-user EMAIL --role ROLE`: clear errors, nothing saved on bad input, a working login."""

import pytest

from coordapp.auth.models import User
from coordapp.extensions import db
from tests import factories
from tests.conftest import AuthActions

GOOD_PASSWORD = "kampanye damai dua ribu dua puluh"


def _users() -> list[User]:
    db.session.rollback()
    return db.session.execute(db.select(User)).scalars().all()


def _create(runner, *args, password: str | None = GOOD_PASSWORD, input: str | None = None):
    env = {"COORD_PASSWORD": password} if password is not None else {"COORD_PASSWORD": ""}
    return runner.invoke(args=["create-user", *args], env=env, input=input)


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["not-an-email", "--role", "manager"], GOOD_PASSWORD, "This is not a valid email address."),
        (["a@@kpu.example.org", "--role", "manager"], GOOD_PASSWORD, "This is not a valid email address."),
        (
            ["ani@kpu.example.org", "--role", "boss"],
            GOOD_PASSWORD,
            "Unknown role boss; use one of: staff, manager, admin.",
        ),
        (["ani@kpu.example.org", "--role", "manager"], "short", "Use at least 12 characters."),
        (
            ["ani@kpu.example.org", "--role", "manager"],
            "ani@kpu.example.org",
            "The password must not be your email address.",
        ),
    ],
)
def test_bad_input_is_a_clear_error_and_saves_nothing(runner, args, password, message):
    result = _create(runner, *args, password=password)
    assert result.exit_code != 0
    assert f"Error: {message}" in result.output
    assert "Traceback" not in result.output
    assert _users() == []


def test_a_missing_role_is_an_error(runner):
    result = _create(runner, "ani@kpu.example.org")
    assert result.exit_code != 0 and "--role" in result.output
    assert _users() == []


def test_a_duplicate_email_is_an_error(runner):
    factories.make_user("staff", email="ani@kpu.example.org", name="Ani Lama")
    db.session.commit()
    result = _create(runner, "ANI@kpu.example.org", "--role", "admin")
    assert result.exit_code != 0
    assert "Error: A user with this email already exists." in result.output
    users = _users()
    assert len(users) == 1 and (users[0].name, users[0].role) == ("Ani Lama", "staff")


def test_the_password_comes_from_coord_password(runner):
    result = _create(runner, "Ani@KPU.example.org", "--role", "manager", "--name", "Ani Suryani")
    assert result.exit_code == 0, result.output
    assert "Created manager ani@kpu.example.org." in result.output
    assert GOOD_PASSWORD not in result.output
    user = _users()[0]
    assert (user.email, user.name, user.role, user.is_active) == ("ani@kpu.example.org", "Ani Suryani", "manager", True)
    assert user.password_hash.startswith("$argon2id$")


def test_without_coord_password_the_password_is_prompted_twice(runner):
    result = _create(
        runner, "budi@kpu.example.org", "--role", "staff", password=None, input=f"{GOOD_PASSWORD}\n{GOOD_PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert GOOD_PASSWORD not in result.output  # hidden input
    assert _users()[0].name == "budi"


def test_a_weak_prompted_password_is_refused(runner):
    result = _create(runner, "budi@kpu.example.org", "--role", "staff", password=None, input="pendek\npendek\n")
    assert result.exit_code != 0 and "Use at least 12 characters." in result.output
    assert _users() == []


def test_the_created_manager_logs_in_and_sees_the_election_and_its_stages(app, runner):
    factories.make_election(name="Pilkada Kota Tangerang Selatan 2020")
    db.session.commit()
    assert _create(runner, "manajer@kpu.example.org", "--role", "manager").exit_code == 0
    client = app.test_client()
    response = AuthActions(client).login("manajer@kpu.example.org", password=GOOD_PASSWORD)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Pilkada Kota Tangerang Selatan 2020" in page
    assert "Kampanye" in page and "Pemungutan dan penghitungan suara" in page
    assert client.get("/auth/users").status_code == 403  # a manager, not an admin


def test_an_english_user_can_be_created(app, runner):
    factories.make_election()
    db.session.commit()
    assert _create(runner, "eng@kpu.example.org", "--role", "staff", "--language", "en").exit_code == 0
    client = app.test_client()
    AuthActions(client).login("eng@kpu.example.org", password=GOOD_PASSWORD)
    assert "Campaign and campaign finance reports" in client.get("/").get_data(as_text=True)
