"""``plugin-studio cron next|run PLUGIN NAME``."""
from __future__ import annotations

import json

from plugin_studio.cli import main


def call(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cron_next_and_run(capsys, platform_dsn, visits):
    code, out, _ = call(capsys, "cron", "next", "visits", "daily-summary", "--json", "--dsn", platform_dsn)
    shown = json.loads(out)
    assert code == 0 and len(shown["next"]) == 5 and shown["timezone"] == "Europe/Berlin"
    assert shown["description"].startswith("Every 15 minutes")
    code, out, _ = call(capsys, "cron", "run", "visits", "daily-summary", "--dsn", platform_dsn)
    assert code == 0 and out.startswith("daily-summary: ok") and '"handler": "summarise"' in out
    code, _, err = call(capsys, "cron", "run", "visits", "nope", "--dsn", platform_dsn)
    assert code == 1 and "has no cron job 'nope'" in err
