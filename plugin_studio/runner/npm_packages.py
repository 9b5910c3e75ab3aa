"""JavaScript libraries from npm: exact versions, integrity pinned in the repository, fetched on first use.

The lock file ``resources/js/npm-lock.json`` names each package's version, tarball address and the
registry's ``sha512-…`` integrity (the Subresource Integrity form npm's lockfiles use). Nothing of
the packages is committed: ``package_dir("react")`` downloads the tarball the first time, checks
its sha512 against the pin, and unpacks it into the cache, where every later use finds it.

    source = read_text("react", "umd/react.development.js")

The cache is ``platformdirs.user_cache_dir("plugin-studio")/npm`` (``PLUGIN_STUDIO_NPM_CACHE``
overrides it); ``PLUGIN_STUDIO_NPM_REGISTRY`` points the downloads at a mirror of
registry.npmjs.org. A package that can't be fetched (offline, blocked, tampered) raises
``NpmPackageError`` with a message for the user; callers keep the rest of the IDE working.

Pinning a new package or version (needs the registry, not Node.js):
``python -m plugin_studio.runner.npm_packages pin react@18.3.1 scheduler@0.23.2``.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import platformdirs

LOCK_FILE = Path(__file__).resolve().parent.parent / "resources" / "js" / "npm-lock.json"
DEFAULT_REGISTRY = "https://registry.npmjs.org"
REGISTRY_ENV = "PLUGIN_STUDIO_NPM_REGISTRY"
CACHE_ENV = "PLUGIN_STUDIO_NPM_CACHE"
DOWNLOAD_TIMEOUT_S = 60
MARKER = ".plugin-studio-integrity"
_fetch_lock = threading.Lock()


class NpmPackageError(RuntimeError):
    """A pinned package is not available: not in the lock, not downloadable, or not what was pinned."""

    @property
    def user_message(self) -> str:
        return str(self)


@dataclass(frozen=True)
class PinnedPackage:
    name: str
    version: str
    tarball: str     # the registry's address of the .tgz
    integrity: str   # "sha512-<base64>", as the registry's dist.integrity

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"


def load_lock(path: Path = LOCK_FILE) -> dict[str, PinnedPackage]:
    """Every pinned package by name. Raises ``NpmPackageError`` for a missing or malformed lock file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {name: PinnedPackage(name, **fields) for name, fields in raw["packages"].items()}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NpmPackageError(f"the npm lock file {path} can't be read: {exc}") from exc


def pinned(name: str) -> PinnedPackage:
    package = load_lock().get(name)
    if package is None:
        raise NpmPackageError(f"the npm package {name!r} is not pinned in {LOCK_FILE.name}")
    return package


def cache_root() -> Path:
    override = os.environ.get(CACHE_ENV)
    return Path(override) if override else Path(platformdirs.user_cache_dir("plugin-studio")) / "npm"


def package_dir(name: str) -> Path:
    """The unpacked package (its ``package/`` folder's contents), fetched and verified if not cached yet.

    Raises ``NpmPackageError`` when it has to be fetched and can't be.
    """
    package = pinned(name)
    target = cache_root() / package.label
    if _is_complete(target, package):
        return target
    with _fetch_lock:  # one download per package per process; other processes race safely (rename)
        if not _is_complete(target, package):
            unpack_tarball(verified_tarball(package), target, package)
    return target


def read_text(name: str, relative: str) -> str:
    """A file of a pinned package as text, e.g. ``read_text("react", "umd/react.production.min.js")``."""
    path = package_dir(name) / relative
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise NpmPackageError(f"{pinned(name).label} has no file {relative}: {exc}") from exc


def ensure_all() -> list[str]:
    """Fetch every pinned package (e.g. at install time); returns their labels."""
    return [f"{name}: {package_dir(name)}" for name in load_lock()]


def verified_tarball(package: PinnedPackage) -> bytes:
    data = _download(_mirror(package.tarball), package)
    check_integrity(data, package)
    return data


def check_integrity(data: bytes, package: PinnedPackage) -> None:
    """Raises ``NpmPackageError`` unless ``data`` hashes to the pinned sha512 integrity."""
    algorithm, _, expected = package.integrity.partition("-")
    if algorithm != "sha512":
        raise NpmPackageError(f"{package.label}: only sha512 integrity pins are accepted, not {algorithm!r}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if actual != expected:
        raise NpmPackageError(
            f"{package.label}: the downloaded tarball does not match its pinned integrity "
            f"(expected sha512-{expected[:16]}…, got sha512-{actual[:16]}…); it was not used")


def _mirror(url: str) -> str:
    registry = os.environ.get(REGISTRY_ENV, "").rstrip("/")
    if registry and url.startswith(DEFAULT_REGISTRY):
        return registry + url[len(DEFAULT_REGISTRY):]
    return url


def _download(url: str, package: PinnedPackage) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
            return response.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise NpmPackageError(
            f"{package.label} is needed once from the npm registry and could not be downloaded "
            f"from {url}: {reason}. Connect to the network and try again; the rest of Plugin Studio "
            f"works without it.") from exc


def _is_complete(target: Path, package: PinnedPackage) -> bool:
    marker = target / MARKER
    try:
        return marker.read_text(encoding="utf-8") == package.integrity
    except OSError:
        return False


def unpack_tarball(data: bytes, target: Path, package: PinnedPackage) -> None:
    """Unpack into a temporary folder beside ``target`` and rename it into place (atomic for readers)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{package.name.replace('/', '+')}-", dir=target.parent))
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            archive.extractall(staging, filter="data")  # refuses absolute paths, "..", devices, outside links
        root = staging / "package"
        if not root.is_dir():
            raise NpmPackageError(f"{package.label}: the tarball has no package/ folder")
        (root / MARKER).write_text(package.integrity, encoding="utf-8")
        if target.exists():
            shutil.rmtree(target, ignore_errors=True)  # an incomplete earlier attempt
        try:
            os.replace(root, target)
        except OSError:
            if not _is_complete(target, package):  # another process put a complete copy there first
                raise
    except (tarfile.TarError, OSError) as exc:
        raise NpmPackageError(f"{package.label} could not be unpacked into {target}: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# ---- maintaining the lock file (developers only) ------------------------------------------------

def pin(specs: list[str], path: Path = LOCK_FILE) -> dict[str, PinnedPackage]:
    """Add or update ``name@version`` entries from the registry's metadata; returns the new lock."""
    lock = load_lock(path) if path.exists() else {}
    for spec in specs:
        name, _, version = spec.rpartition("@") if spec.rfind("@") > 0 else (spec, "", "")
        if not version:
            raise NpmPackageError(f"pin needs an exact version: {spec!r} (e.g. react@18.3.1)")
        lock[name] = _pin_from_registry(name, version)
    entries = {name: {"version": p.version, "tarball": p.tarball, "integrity": p.integrity}
               for name, p in sorted(lock.items())}
    path.write_text(json.dumps({"packages": entries}, indent=2) + "\n", encoding="utf-8")
    return lock


def _pin_from_registry(name: str, version: str) -> PinnedPackage:
    url = f"{DEFAULT_REGISTRY}/{name.replace('/', '%2F')}/{version}"
    with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
        dist = json.load(response)["dist"]
    package = PinnedPackage(name, version, dist["tarball"], dist["integrity"])
    check_integrity(_download(package.tarball, package), package)
    return package


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "pin":
        for package in pin(argv[1:]).values():
            print(f"{package.label} {package.integrity}")
        return 0
    if argv == ["fetch"]:
        for line in ensure_all():
            print(line)
        return 0
    print("usage: python -m plugin_studio.runner.npm_packages pin NAME@VERSION... | fetch", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
