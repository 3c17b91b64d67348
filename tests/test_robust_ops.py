"""Operations: one .eml file per email on the embedded default, and links in emails to the port really served."""

import email
from datetime import UTC, datetime

from flask_mailman import EmailMessage

from coordapp.config import build_config
from coordapp.core.mailfiles import message_filename


def test_each_email_is_its_own_eml_file_and_the_newest_sorts_last(make_app, tmp_path):
    app = make_app(MAIL_BACKEND="coordapp.core.mailfiles", MAIL_FILE_PATH=str(tmp_path / "mail"))
    with app.app_context():
        for n in range(3):
            EmailMessage(f"Pengingat {n}", f"Isi {n}", "kpu@example.org", [f"budi{n}@example.org"]).send()
    files = sorted((tmp_path / "mail").iterdir())
    assert [f.suffix for f in files] == [".eml"] * 3
    messages = [email.message_from_bytes(f.read_bytes()) for f in files]
    assert [m["Subject"] for m in messages] == ["Pengingat 0", "Pengingat 1", "Pengingat 2"]  # sent order = name order
    assert messages[2]["To"] == "budi2@example.org" and messages[2].get_payload() == "Isi 2"


def test_file_names_sort_by_time_across_seconds_and_processes():
    early = message_filename(datetime(2026, 12, 2, 9, 59, 59, 999999, tzinfo=UTC))
    late = message_filename(datetime(2026, 12, 2, 10, 0, 0, tzinfo=UTC))
    assert early < late and early.endswith(".eml")


def test_links_in_emails_follow_the_port_make_run_serves(monkeypatch, tmp_path):
    for name in ("BASE_URL", "PORT"):
        monkeypatch.delenv(name, raising=False)
    assert build_config(str(tmp_path))["BASE_URL"] == "http://127.0.0.1:5000"
    (tmp_path / "base_url").write_text("http://127.0.0.1:5077\n")  # written by `PORT=5077 make run`
    assert build_config(str(tmp_path))["BASE_URL"] == "http://127.0.0.1:5077"  # a sweep run by hand beside it
    monkeypatch.setenv("PORT", "5080")
    assert build_config(str(tmp_path))["BASE_URL"] == "http://127.0.0.1:5080"
    monkeypatch.setenv("BASE_URL", "https://coord.example.org")
    assert build_config(str(tmp_path))["BASE_URL"] == "https://coord.example.org"
