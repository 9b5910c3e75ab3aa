"""The settings file: typed values with defaults; nothing in it can stop the IDE from starting."""
from __future__ import annotations

import json

import pytest

from plugin_studio.settings import Settings


@pytest.fixture
def settings_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PLUGIN_STUDIO_HOME", str(tmp_path))
    return Settings.path()


def test_what_is_saved_is_loaded(settings_file):
    Settings(theme="dark", editor_font_size=14, tab_width=4, last_folders={"import": "/srv/packages"},
             open_tabs=[{"table": "plugin_hooks", "row_id": "1", "plugin_id": "p", "line": 3, "column": 2}]).save()
    loaded = Settings.load()
    assert (loaded.theme, loaded.editor_font_size, loaded.tab_width) == ("dark", 14, 4)
    assert loaded.last_folders == {"import": "/srv/packages"}
    assert loaded.open_tabs[0]["line"] == 3


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", "", "null"])
def test_a_corrupt_file_gives_the_defaults(settings_file, text):
    settings_file.write_text(text, encoding="utf-8")
    assert Settings.load() == Settings()


def test_one_bad_value_falls_back_alone_and_the_rest_is_kept(settings_file, caplog):
    settings_file.write_text(json.dumps({
        "theme": "purple", "editor_font_size": "12", "tab_width": 400, "runner_timeout_ms": 2500,
        "last_folders": ["not", "a", "dict"], "creator_id": 7, "migration_lock_timeout_s": 3,
        "editor_font_family": "DejaVu Sans Mono", "unknown_key": True,
    }), encoding="utf-8")
    loaded = Settings.load()
    defaults = Settings()
    assert (loaded.theme, loaded.editor_font_size, loaded.tab_width) == \
        (defaults.theme, defaults.editor_font_size, defaults.tab_width)
    assert loaded.last_folders == {} and loaded.creator_id is None
    assert loaded.runner_timeout_ms == 2500 and loaded.migration_lock_timeout_s == 3
    assert loaded.editor_font_family == "DejaVu Sans Mono"
    assert "theme = 'purple' is not allowed" in caplog.text
