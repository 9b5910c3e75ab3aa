"""JS fixtures for widget tests: a real QuickJS interpreter with React 18 loaded."""
from __future__ import annotations

from pathlib import Path

import pytest

from plugin_studio.runner.ops_widgets import WidgetEngine

TEMPLATES = Path(__file__).resolve().parents[2] / "plugin_studio" / "resources" / "templates"


@pytest.fixture(scope="module")
def engine() -> WidgetEngine:
    """One engine per test module (React loads once per plugin name); tests use their own roots."""
    return WidgetEngine()


@pytest.fixture
def starter_code() -> str:
    return (TEMPLATES / "cart-viewer" / "widgets" / "cart-visit-counter.jsx").read_text(encoding="utf-8")
