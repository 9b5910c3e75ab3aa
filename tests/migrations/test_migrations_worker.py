"""The panel's jobs on their own: a real lane, real database, answers on the GUI thread."""
import threading

import pytest
from migration_samples import add_migration, table_exists

from plugin_studio.db import migrate
from plugin_studio.ui import migration_jobs
from plugin_studio.ui.lanes import DbSession, Lane
from plugin_studio.ui.migration_jobs import BatchOutcome


@pytest.fixture
def lane(qtbot, dsn):
    handle = Lane("migrations", DbSession(connector=migrate.connector_for(dsn)))
    yield handle
    handle.cancel_all()
    handle.close()


class Recorder:
    """Plain callables: each records whether it ran on the GUI thread."""

    def __init__(self):
        self.calls: list[tuple[str, bool]] = []

    def on(self, what: str):
        return lambda *_: self.calls.append((what, threading.current_thread() is threading.main_thread()))


def run(qtbot, lane, fn, *args, **callbacks):
    job = lane.submit(fn, *args, owner=None, controlled=True, **callbacks)
    with qtbot.waitSignal(job.ended, timeout=10_000):
        pass
    assert job.state == "finished", job.error
    return job.result


def test_answers_reach_plain_callables_on_the_gui_thread(qtbot, conn, lane, plugin, dsn):
    add_migration(conn, plugin, "1.0", "CREATE TABLE w10 ();")
    add_migration(conn, plugin, "1.1", "CREATE TABLE w11 ();")
    recorder = Recorder()
    ids = [c.row.id for c in run(qtbot, lane, migration_jobs.list_checks, plugin.id, on_done=recorder.on("listed"))]
    outcome = run(qtbot, lane, migration_jobs.run_batch, migrate.connector_for(dsn), 5, ids, False,
                  on_progress=recorder.on("step_started"), on_note=recorder.on("step_finished"),
                  on_done=recorder.on("finished"))
    assert isinstance(outcome, BatchOutcome) and [r.version for r in outcome.results] == ["1.0", "1.1"]
    assert table_exists(conn, "w10") and table_exists(conn, "w11")
    assert {what for what, _ in recorder.calls} == {"listed", "step_started", "step_finished", "finished"}
    assert all(on_gui for _, on_gui in recorder.calls), recorder.calls


def test_a_failing_migration_ends_the_batch_with_the_servers_message(qtbot, conn, lane, plugin, dsn):
    add_migration(conn, plugin, "2.0", "CREATE TABLE w20 (;")
    ids = [c.row.id for c in run(qtbot, lane, migration_jobs.list_checks, plugin.id)]
    (result,) = run(qtbot, lane, migration_jobs.run_batch, migrate.connector_for(dsn), 5, ids, False).results
    assert not result.ok and "syntax error" in result.error
    assert not table_exists(conn, "w20")
