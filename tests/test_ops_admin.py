"""The admin's backups page: who may see it, what it lists, "Back up now"."""

from unittest import mock

import pytest

from coordapp.core import backup


@pytest.fixture
def folder(app, tmp_path):
    app.config["BACKUP_DIR"] = str(tmp_path / "backups")
    return tmp_path / "backups"


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("staff", 403), ("manager", 403), ("admin", 200)])
def test_only_admins_see_the_backups(client, auth, folder, role, status):
    if role:
        auth.as_role(role)
    assert client.get("/admin/backups").status_code == status
    with mock.patch("coordapp.ops.admin_views.daily_backup") as task:
        assert client.post("/admin/backups").status_code == (302 if role in (None, "admin") else 403)
    assert task.delay.called == (role == "admin")


def test_the_page_lists_archives_with_their_manifest(app, client, auth, folder):
    archive = backup.create_backup(folder)
    (folder / f"{backup.PREFIX}20200101T000000Z.tar.gz").write_bytes(b"not an archive")
    auth.as_role("admin")
    page = client.get("/admin/backups").get_data(as_text=True)
    assert archive.name in page
    assert page.index(archive.name) < page.index(f"{backup.PREFIX}20200101T000000Z")
    assert "Tidak terbaca" in page  # the broken one, in the default language


def test_back_up_now_hands_the_backup_to_a_worker(app, client, auth, folder):
    auth.as_role("admin")
    with mock.patch("coordapp.ops.admin_views.daily_backup") as task:
        response = client.post("/admin/backups", follow_redirects=True)
    task.delay.assert_called_once_with()
    assert "Pencadangan diminta" in response.get_data(as_text=True)


def test_without_backups_the_page_says_so(client, auth, folder):
    auth.as_role("admin")
    assert "Belum ada cadangan." in client.get("/admin/backups").get_data(as_text=True)
