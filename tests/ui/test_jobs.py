"""The job facility (ui/jobs.py, ui/lanes.py): answers on the GUI thread, progress, cancel, owners, lanes."""
from __future__ import annotations

import threading

import psycopg
import pytest
from PySide6.QtCore import QObject

from plugin_studio.db.errors import ConnectionLost, SqlError
from plugin_studio.db.reconnect import Backoff
from plugin_studio.ui import jobs
from plugin_studio.ui.lanes import DbSession, Lane


@pytest.fixture
def owner():
    holder = QObject()
    yield holder
    if holder is not None:
        holder.deleteLater()


@pytest.fixture
def db_lane(dsn):
    lane = Lane("test-db", DbSession(dsn, lock_timeout_ms=1500, statement_timeout_ms=20_000))
    yield lane
    lane.cancel_all()
    lane.close()


def test_a_result_arrives_on_the_gui_thread_by_signal_and_callback(qtbot, owner):
    threads, results = [], []
    with qtbot.waitSignal(jobs.start(lambda control: threading.get_ident(), owner=owner,
                                     on_done=lambda r: (results.append(r), threads.append(threading.get_ident()))
                                     ).finished, timeout=5000) as answer:
        pass
    assert answer.args == results and results[0] != threading.get_ident()
    assert threads == [threading.get_ident()]
    assert jobs.running() == []


def test_an_error_arrives_as_a_value_and_the_job_says_it_failed(qtbot, owner):
    errors = []
    job = jobs.start(lambda control: 1 / 0, owner=owner, on_error=errors.append)
    with qtbot.waitSignal(job.ended, timeout=5000):
        pass
    assert job.state == "failed" and isinstance(job.error, ZeroDivisionError) and errors == [job.error]


def test_progress_is_reported_with_done_total_and_what(qtbot, owner):
    def work(control):
        control.report(0, 3, "counting")
        control.report(3, 3, "counting")
        return "done"
    seen = []
    job = jobs.start(work, owner=owner, on_progress=lambda *p: seen.append(p))
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert seen == [(0, 3, "counting"), (3, 3, "counting")]


def test_a_cancelled_job_stops_and_answers_cancelled(qtbot, owner):
    started = threading.Event()

    def until_cancelled(control):
        started.set()
        while True:
            control.check()
            control.is_cancelled() or threading.Event().wait(0.01)
    done = []
    job = jobs.start(until_cancelled, owner=owner, on_done=done.append)
    assert started.wait(5)
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        job.cancel()
    assert job.state == "cancelled" and done == []


def test_a_job_whose_owner_is_destroyed_is_cancelled_and_never_calls_back(qtbot):
    owner = QObject()
    started, answers = threading.Event(), []

    def until_cancelled(control):
        started.set()
        while not control.is_cancelled():
            threading.Event().wait(0.01)
        return "late"
    job = jobs.start(until_cancelled, owner=owner, on_done=answers.append, on_cancelled=lambda: answers.append("c"))
    job.finished.connect(answers.append)
    assert started.wait(5)
    del owner   # the last reference: the QObject is destroyed now, on this thread
    assert job.wait(5)
    qtbot.waitUntil(lambda: jobs.running() == [], timeout=5000)
    assert job.state == "finished" and answers == []


def test_work_may_not_carry_qt_objects(owner):
    widgetless = QObject()
    with pytest.raises(TypeError, match="Qt objects"):
        jobs.start(lambda control, o: None, widgetless, owner=owner)
    with pytest.raises(TypeError, match="Qt objects"):
        jobs.start(lambda control: widgetless.objectName(), owner=owner)


def test_a_lane_runs_its_jobs_in_order_on_one_thread(qtbot, owner):
    lane = Lane("test-order")
    order, threads = [], set()

    def note(_none, i):
        threads.add(threading.get_ident())
        order.append(i)
    last = None
    for i in range(20):
        last = lane.submit(note, i, owner=owner)
    with qtbot.waitSignal(last.ended, timeout=5000):
        pass
    lane.close()
    assert order == list(range(20)) and len(threads) == 1


def test_a_queued_job_cancelled_before_it_started_never_runs(qtbot, owner):
    lane = Lane("test-queue")
    gate, ran = threading.Event(), []
    blocker = lane.submit(lambda _r: gate.wait(5), owner=owner)
    queued = lane.submit(lambda _r: ran.append(1), owner=owner)
    with qtbot.waitSignal(queued.cancelled, timeout=5000):
        queued.cancel()
    gate.set()
    with qtbot.waitSignal(blocker.finished, timeout=5000):
        pass
    lane.close()
    assert ran == []


def test_a_closed_lane_answers_new_jobs_cancelled(qtbot, owner):
    lane = Lane("test-closed")
    lane.close()
    job = lane.submit(lambda _r: 1, owner=owner)
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        pass


def test_a_database_lane_sets_the_session_timeouts(qtbot, owner, db_lane):
    job = db_lane.submit(lambda conn: (conn.execute("SHOW lock_timeout").fetchone()[0],
                                       conn.execute("SHOW statement_timeout").fetchone()[0]), owner=owner)
    with qtbot.waitSignal(job.finished, timeout=10000) as answer:
        pass
    assert answer.args == [("1500ms", "20s")]


def test_a_database_error_arrives_typed(qtbot, owner, db_lane):
    job = db_lane.submit(lambda conn: conn.execute("SELEC 1"), owner=owner)
    with qtbot.waitSignal(job.failed, timeout=10000) as answer:
        pass
    assert isinstance(answer.args[0], SqlError) and "SELEC" in answer.args[0].problem.message


def test_cancelling_a_running_query_interrupts_it_on_the_server(qtbot, owner, db_lane):
    job = db_lane.submit(lambda conn: conn.execute("SELECT pg_sleep(30)"), owner=owner)
    qtbot.waitUntil(lambda: _sleeping_sessions(db_lane.resource.dsn) == 1, timeout=10000)
    with qtbot.waitSignal(job.cancelled, timeout=10000):
        job.cancel()
    after = db_lane.submit(lambda conn: conn.execute("SELECT 2").fetchone()[0], owner=owner)
    with qtbot.waitSignal(after.finished, timeout=10000) as answer:
        pass
    assert answer.args == [2]


def test_a_lane_opens_its_connection_again_after_it_broke(qtbot, owner, db_lane, conn):
    first = db_lane.submit(lambda c: c.info.backend_pid, owner=owner)
    with qtbot.waitSignal(first.finished, timeout=10000) as pid:
        pass
    conn.execute("SELECT pg_terminate_backend(%s)", pid.args)
    lost = db_lane.submit(lambda c: c.execute("SELECT 1").fetchone(), owner=owner)
    with qtbot.waitSignal(lost.failed, timeout=10000) as failure:
        pass
    again = db_lane.submit(lambda c: c.info.backend_pid, owner=owner)
    with qtbot.waitSignal(again.finished, timeout=10000) as new_pid:
        pass
    assert isinstance(failure.args[0], ConnectionLost) and new_pid.args != pid.args


def test_backoff_doubles_up_to_ten_seconds_and_starts_over_after_a_success():
    backoff = Backoff()
    assert [backoff.next_delay() for _ in range(7)] == [0.5, 1, 2, 4, 8, 10, 10]
    backoff.reset()
    assert backoff.next_delay() == 0.5


def _sleeping_sessions(dsn: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' "
                            "AND state = 'active'").fetchone()[0]


def test_a_long_job_shows_in_the_status_bar_with_cancel_and_a_quick_one_never(qtbot, owner):
    from plugin_studio.ui.job_status import JobStatus

    status = JobStatus(delay_ms=200)
    qtbot.addWidget(status)
    status.show()
    quick = jobs.start(lambda control: "done", owner=owner, title="Quick")
    status.watch(quick)
    with qtbot.waitSignal(quick.ended):
        pass
    started = threading.Event()

    def long_work(control):
        started.set()
        control.report(1, 4, "Loading 20,000 rows")
        while True:
            control.check()
            threading.Event().wait(0.01)
    slow = jobs.start(long_work, owner=owner, title="Loading the plugin")
    status.watch(slow)
    assert status.shown_job() is None   # not before the delay
    qtbot.waitUntil(lambda: status.isVisible() and status.shown_job() is slow)
    qtbot.waitUntil(lambda: status.label.text() == "Loading 20,000 rows…" and status.bar.maximum() == 4)
    with qtbot.waitSignal(slow.cancelled):
        status.cancel_button.click()
    qtbot.waitUntil(lambda: not status.isVisible())
