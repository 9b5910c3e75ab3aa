"""Pinned npm packages: fetched from the registry once, verified against the pinned sha512, refused otherwise."""
from __future__ import annotations

import dataclasses
import io
import tarfile

import pytest

from plugin_studio.runner import npm_packages as npm


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(npm.CACHE_ENV, str(tmp_path / "npm-cache"))
    return tmp_path / "npm-cache"


def test_every_pin_is_an_exact_version_with_a_sha512_integrity():
    lock = npm.load_lock()
    assert {"react", "react-reconciler", "scheduler"} <= set(lock)
    for package in lock.values():
        assert package.version[0].isdigit() and not any(c in package.version for c in "^~*x ")
        assert package.integrity.startswith("sha512-")
        assert package.tarball.startswith(npm.DEFAULT_REGISTRY + "/")


def test_first_use_downloads_verifies_and_unpacks_then_uses_the_cache(empty_cache):
    source = npm.read_text("scheduler", "package.json")
    assert '"version": "0.23.2"' in source
    folder = npm.package_dir("scheduler")
    assert folder.parent == empty_cache and (folder / npm.MARKER).read_text() == npm.pinned("scheduler").integrity


def test_a_tarball_that_does_not_match_its_pin_is_refused_and_not_cached(empty_cache):
    genuine = npm.pinned("scheduler")
    forged = dataclasses.replace(genuine, integrity="sha512-" + "A" * 86 + "==")
    with pytest.raises(npm.NpmPackageError, match="does not match its pinned integrity"):
        npm.verified_tarball(forged)
    assert not (empty_cache / genuine.label).exists()


def test_offline_first_use_says_what_is_missing_and_how_to_get_it(empty_cache, monkeypatch):
    monkeypatch.setenv(npm.REGISTRY_ENV, "http://127.0.0.1:9")  # nothing listens on the discard port
    with pytest.raises(npm.NpmPackageError) as caught:
        npm.package_dir("react")
    message = caught.value.user_message
    assert "react@18.3.1" in message and "Connect to the network" in message
    assert not (empty_cache / "react@18.3.1").exists()


def _tarball(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_a_tarball_member_outside_its_folder_is_never_written(tmp_path):
    package = npm.PinnedPackage("evil", "1.0.0", "https://example.invalid/evil.tgz", "sha512-x")
    data = _tarball({"package/index.js": b"1", "package/../../escaped.js": b"2"})
    with pytest.raises(npm.NpmPackageError, match="could not be unpacked"):
        npm.unpack_tarball(data, tmp_path / "cache" / package.label, package)
    assert not list(tmp_path.rglob("escaped.js"))
    assert not (tmp_path / "cache" / package.label).exists()
