"""The panel's worker side on its own: real thread, real database, answers on the GUI thread."""
import threading

import pytest
from migration_samples import add_migration, table_exists

from plugin_studio.db import migrate
from plugin_studio.ui.migrations_worker import BatchOutcome, MigrationJobs


@pytest.fixture
def jobs(qtbot, dsn):
    handle = MigrationJobs(migrate.connector_for(dsn), lock_wait_s=5)
    yield handle
    handle.shutdown()


class Recorder:
    """A plain object (not a QObject): Qt calls its methods on the emitting thread unless the emitter re-queues."""

    def __init__(self):
        self.calls: list[tuple[str, bool]] = []

    def on(self, what: str):
        return lambda *_: self.calls.append((what, threading.current_thread() is threading.main_thread()))


def test_answers_reach_plain_callables_on_the_gui_thread(qtbot, conn, jobs, plugin):
    add_migration(conn, plugin, "1.0", "CREATE TABLE w10 ();")
    add_migration(conn, plugin, "1.1", "CREATE TABLE w11 ();")
    recorder = Recorder()
    for name in ("listed", "step_started", "step_finished", "job_finished"):
        getattr(jobs, name).connect(recorder.on(name))
    with qtbot.waitSignal(jobs.job_finished, check_params_cb=lambda kind, _: kind == "list"):
        jobs.list(plugin.id)
    ids = [c.row.id for c in jobs_listed(qtbot, jobs, plugin.id)]
    with qtbot.waitSignal(jobs.job_finished, check_params_cb=lambda kind, _: kind == "run") as done:
        jobs.run(ids)
    outcome = done.args[1]
    assert isinstance(outcome, BatchOutcome) and [r.version for r in outcome.results] == ["1.0", "1.1"]
    assert table_exists(conn, "w10") and table_exists(conn, "w11")
    assert {what for what, _ in recorder.calls} == {"listed", "step_started", "step_finished", "job_finished"}
    assert all(on_gui for _, on_gui in recorder.calls), recorder.calls


def test_a_failing_migration_ends_the_batch_with_the_servers_message(qtbot, conn, jobs, plugin):
    add_migration(conn, plugin, "2.0", "CREATE TABLE w20 (;")
    ids = [c.row.id for c in jobs_listed(qtbot, jobs, plugin.id)]
    with qtbot.waitSignal(jobs.job_finished, check_params_cb=lambda kind, _: kind == "run") as done:
        jobs.run(ids)
    (result,) = done.args[1].results
    assert not result.ok and "syntax error" in result.error
    assert not table_exists(conn, "w20")


def jobs_listed(qtbot, jobs, plugin_id):
    with qtbot.waitSignal(jobs.listed) as listed:
        jobs.list(plugin_id)
    return listed.args[0]
