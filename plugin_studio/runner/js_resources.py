"""The JavaScript files shipped in ``plugin_studio/resources/js``, read once per process (a module of
its own so that the engine and the package loader, which the engine installs, need not import each other)."""
from __future__ import annotations

from importlib import resources


def resource_text(name: str) -> str:
    """A file of ``plugin_studio/resources/js``, read once per process."""
    text = _RESOURCES.get(name)
    if text is None:
        text = _RESOURCES[name] = resources.files("plugin_studio").joinpath("resources", "js", name).read_text(
            encoding="utf-8")
    return text


_RESOURCES: dict[str, str] = {}
