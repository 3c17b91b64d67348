"""The content-addressed file store: one copy per content, the bytes back by hash, nothing outside its folder."""

import pytest

from coordapp.files.storage import FolderStore, digest, store


def test_the_same_bytes_are_kept_once_under_their_hash(tmp_path):
    files = FolderStore(tmp_path)
    first = files.put(b"%PDF-1.7 daftar hadir")
    assert first == files.put(b"%PDF-1.7 daftar hadir") == digest(b"%PDF-1.7 daftar hadir")
    assert files.get(first) == b"%PDF-1.7 daftar hadir"
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1


def test_deleted_bytes_are_gone(tmp_path):
    files = FolderStore(tmp_path)
    sha = files.put(b"notulen")
    files.delete(sha)
    assert not files.exists(sha)
    with pytest.raises(FileNotFoundError):
        files.get(sha)


@pytest.mark.parametrize("name", ["../../etc/passwd", "a" * 63, "A" * 64, "../" + "a" * 61])
def test_a_name_that_is_not_a_hash_opens_nothing(tmp_path, name):
    files = FolderStore(tmp_path)
    assert not files.exists(name)
    with pytest.raises(FileNotFoundError):
        files.get(name)


def test_the_app_keeps_files_in_its_instance_folder(app):
    sha = store().put(b"foto kegiatan")
    assert store().get(sha) == b"foto kegiatan"
    assert str(store().root).startswith(app.instance_path)
