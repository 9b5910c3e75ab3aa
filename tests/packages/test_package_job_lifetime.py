"""A package job whose owner (a closed dialog or flow) was deleted ends quietly on its own thread."""
import threading

from PySide6.QtCore import QObject

from plugin_studio.ui import jobs


def test_a_job_outliving_its_owner_ends_without_errors(qtbot):
    owner = QObject()
    release = threading.Event()
    reached, answers = {}, []

    def work(control):
        release.wait(60)
        reached["cancelled"] = control.is_cancelled()
        control.report(1, 2, "half way")  # the owner is gone by now
        return "done"

    job = jobs.start(work, owner=owner, on_done=answers.append, on_progress=lambda *p: answers.append(p))
    with qtbot.waitSignal(owner.destroyed, timeout=5000):
        owner.deleteLater()  # the flow is closed while the work still runs
    release.set()
    assert job.wait(60)
    qtbot.waitUntil(lambda: not job.running)
    assert reached["cancelled"] is True and answers == []
