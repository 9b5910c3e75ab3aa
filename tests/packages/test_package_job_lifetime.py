"""A package job whose owner (a closed dialog or flow) was deleted ends quietly on its own thread."""
import threading

from PySide6.QtCore import QObject

from plugin_studio.ui.package_actions import PackageJob


def test_a_job_outliving_its_owner_ends_without_errors(qtbot):
    owner = QObject()
    release = threading.Event()
    reached = {}

    def work(control):
        release.wait(60)
        reached["cancelled"] = control.is_cancelled()
        control.report(1, 2, "half way")  # the job object is gone by now
        return "done"

    job = PackageJob(work, owner)
    thread = job._thread
    job.start()
    owner.deleteLater()  # Qt deletes the job with its owner while the work still runs
    qtbot.waitUntil(lambda: not _alive(job))
    release.set()
    assert thread.wait(60_000)
    assert reached["cancelled"] is True


def _alive(obj) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)
