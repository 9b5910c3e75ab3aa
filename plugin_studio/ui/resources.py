"""Icons and other files shipped in ``plugin_studio/resources``."""
from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QIcon

RESOURCES = resources.files("plugin_studio") / "resources"


def app_icon() -> QIcon:
    return QIcon(str(RESOURCES / "icons" / "plugin-studio.svg"))
