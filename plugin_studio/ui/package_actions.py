"""File ▸ Import Plugin…, File ▸ Export Plugin… and package drops: jobs off the GUI thread, then dialogs.

Import: read + validate + plan in a job (progress, Cancel) → preview dialog, opened at once while
a second job parses the package's code (its ⚠ marks fill in when the parse ends; Import stays
usable) → import in a job, in one transaction (progress, Cancel rolls back). Syntax errors found
after the import are still tied to the imported rows (``syntax_marked``). Export: plugin facts in a job → options dialog →
write in a job (jobs: ``ui/jobs.py``). The flows are objects with signals so a window can react without waiting;
``import_package_interactively`` / ``export_package_interactively`` wrap them for callers that want
an answer (they run a local event loop, so the window keeps painting).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QEventLoop, QMimeData, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from plugin_studio.db import plugins
from plugin_studio.db.bundles import ImportResult
from plugin_studio.db.connection import connect
from plugin_studio.db.plugin_data import list_data
from plugin_studio.models import package as pk
from plugin_studio.runner.host import JsHost
from plugin_studio.runner.syntax import check_syntax_many
from plugin_studio.services.packages import export_package, import_package, plan_import
from plugin_studio.settings import Settings
from plugin_studio.ui import jobs
from plugin_studio.ui.errors import show_error
from plugin_studio.ui.import_dialog import ExportDialog, ImportPreviewDialog, problems_text
from plugin_studio.ui.jobs import Job, JobControl

log = logging.getLogger(__name__)
PROGRESS_DELAY_MS = 400   # quick jobs finish before a progress dialog would flash up


# ---- the jobs' work (data in, data out) -------------------------------------------------------------

@dataclass
class PreparedImport:
    plan: pk.ImportPlan
    syntax_errors: dict[tuple[str, int], str] = field(default_factory=dict)


@dataclass
class ImportOutcome:
    result: ImportResult
    syntax_errors: list[tuple[str, str, str]]   # (table, row id, message): for marks in the tree
    syntax_pending: bool = False                # the parse was still running: see ImportFlow.syntax_marked


def prepare_import(control: JobControl, dsn: str, path: str, limits: pk.Limits) -> PreparedImport:
    control.report(0, 0, "Reading the package…")
    package = pk.load_package(path, limits)
    control.check()
    control.report(0, 0, "Checking names…")
    with connect(dsn) as conn:
        return PreparedImport(plan_import(conn, package))


def collect_syntax_errors(package: pk.Package, control: JobControl) -> pk.SyntaxReport:
    """Parse the package's code in a JS worker of its own (never run); errors become warnings."""
    with JsHost() as host:
        report = pk.syntax_warnings(
            package, lambda items: check_syntax_many(host, items),
            is_cancelled=control.is_cancelled,
            progress=lambda done, total: control.report(done, total, "Checking syntax…"),
        )
    control.check()
    return report


def run_import(control: JobControl, dsn: str, package: pk.Package, creator_id: str | None,
               rename_clashing_widgets: bool) -> ImportResult:
    with connect(dsn) as conn:
        return import_package(
            conn, package, creator_id=creator_id, rename_clashing_widgets=rename_clashing_widgets,
            progress=lambda done, total: control.report(done, total, "Importing…"),
            is_cancelled=control.is_cancelled,
        )


def _check_syntax(control: JobControl, checker: Callable[[pk.Package, JobControl], pk.SyntaxReport],
                  package: pk.Package) -> pk.SyntaxReport:
    return checker(package, control)


def syntax_marks(result: ImportResult, errors: dict[tuple[str, int], str]) -> list[tuple[str, str, str]]:
    """``(table, row id, message)`` of the imported rows whose code has a syntax error."""
    return [(table, result.row_ids[table][index], message) for (table, index), message in sorted(errors.items())]


@dataclass
class ExportFacts:
    plugin_id: str
    name: str
    slug: str
    version: str
    data_keys: int


def export_facts(control: JobControl, dsn: str, plugin_id: str) -> ExportFacts:
    with connect(dsn) as conn:
        plugin = plugins.get_plugin(conn, plugin_id)
        return ExportFacts(plugin.id, plugin.name, plugin.slug, plugin.version, len(list_data(conn, plugin_id)))


def run_export(control: JobControl, dsn: str, plugin_id: str, path: Path, include_data: bool,
               format: str, limits: pk.Limits) -> pk.ExportSummary:
    control.report(0, 0, "Exporting…")
    with connect(dsn) as conn:
        return export_package(conn, plugin_id, path, format=format, include_data=include_data, limits=limits)


# ---- flows on the GUI thread ------------------------------------------------------------------

class _Flow(QObject):
    """A sequence of jobs and dialogs; ``ended(value or None)`` once, whatever happened."""

    ended = Signal(object)

    def __init__(self, parent_widget: QWidget | None, dsn: str):
        super().__init__(parent_widget)
        self.parent_widget = parent_widget
        self.dsn = dsn
        self.job: Job | None = None
        self.progress: QProgressDialog | None = None
        self.value: Any = None
        self.done = False

    def _start_job(self, title: str, on_finished: Callable[[Any], None], work: Callable[..., Any], *args: Any) -> None:
        """``work(control, *args)`` as a job of this flow, with a progress dialog (Cancel) after a moment."""
        self._on_finished = on_finished
        self.progress = _progress_dialog(self.parent_widget, title)
        self.job = jobs.start(work, *args, owner=self, title=title, on_progress=self._on_job_progressed,
                              on_done=self._on_job_finished, on_error=self._on_job_failed_after_progress,
                              on_cancelled=self._on_job_cancelled)
        self.progress.canceled.connect(self.job.cancel)

    def _on_job_finished(self, result: Any) -> None:
        self._close_progress()
        self._on_finished(result)

    def _on_job_failed_after_progress(self, error: Exception) -> None:
        self._close_progress()
        self._on_job_failed(error)

    def _on_job_cancelled(self) -> None:
        self._close_progress()
        self._end(None)

    def _on_job_progressed(self, done: int, total: int, what: str) -> None:
        if self.progress is None:
            return
        self.progress.setMaximum(total)
        self.progress.setValue(min(done, total) if total else 0)
        if what:
            self.progress.setLabelText(what)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect()
            self.progress.reset()
            self.progress.hide()
            self.progress.deleteLater()
            self.progress = None

    def _on_job_failed(self, error: Exception) -> None:
        self.error_box = show_error(self.parent_widget, self.failure_title, error)
        self._end(None)

    def _end(self, value: Any) -> None:
        if not self.done:
            self.done = True
            self.value = value
            self.ended.emit(value)

    def cancel(self) -> None:
        """Stop the running job (the window is closing); a running import rolls back."""
        if self.job is not None:
            self.job.cancel()
            self.job.wait(10)


class ImportFlow(_Flow):
    """Import a package file: plan → preview (syntax marks filled in by a parse running beside it) →
    import. ``imported`` carries an ``ImportOutcome``; the flow ends once the parse is over too."""

    preview_shown = Signal(object)   # the ImportPreviewDialog, open and waiting for the user
    refused = Signal(object)         # the PackageInvalid explaining why nothing was imported
    syntax_checked = Signal(object)  # {(table, row index): message} once the parse ended
    imported = Signal(object)        # ImportOutcome
    syntax_marked = Signal(object)   # [(table, row id, message)] found after the import was done
    failure_title = "Import failed"

    def __init__(self, parent_widget: QWidget | None, dsn: str, path: str | Path, settings: Settings | None = None,
                 syntax_check: bool = True,
                 syntax_checker: Callable[[pk.Package, JobControl], pk.SyntaxReport] = collect_syntax_errors):
        super().__init__(parent_widget, dsn)
        self.path = str(path)
        self.settings = settings or Settings.load()
        self.syntax_check = syntax_check
        self.syntax_checker = syntax_checker
        self.preview: ImportPreviewDialog | None = None
        self.prepared: PreparedImport | None = None
        self.check_job: Job | None = None
        self.checking = False
        self.outcome: ImportOutcome | None = None
        self._end_value: Any = None
        self._ending = False

    def start(self) -> None:
        limits = pk.Limits.from_settings(self.settings)
        self._start_job(f"Reading {Path(self.path).name}…", self._on_prepared, prepare_import, self.dsn, self.path,
                        limits)

    def _on_prepared(self, prepared: PreparedImport) -> None:
        self.prepared = prepared
        self.preview = ImportPreviewDialog(prepared.plan, parent=self.parent_widget, syntax_pending=self.syntax_check)
        self.preview.accepted.connect(self._on_preview_accepted)
        self.preview.rejected.connect(self._on_preview_rejected)
        if self.syntax_check:
            self._start_syntax_check(prepared.plan.package)
        self.preview.open()
        self.preview_shown.emit(self.preview)

    def _start_syntax_check(self, package: pk.Package) -> None:
        self.checking = True
        self.check_job = jobs.start(_check_syntax, self.syntax_checker, package, owner=self, title="Checking syntax…",
                                    on_done=self._on_syntax_checked, on_error=self._on_syntax_check_failed,
                                    on_cancelled=self._on_syntax_check_stopped)

    def _on_syntax_checked(self, report: pk.SyntaxReport) -> None:
        errors = {(table, index): problem.message for table, index, problem in report.errors}
        self.prepared.syntax_errors.update(errors)
        if shiboken6.isValid(self.preview):  # the user may have closed the preview meanwhile
            self.preview.show_syntax_report(errors, report.notes)
        self.syntax_checked.emit(errors)
        if self.outcome is not None and errors:
            marks = syntax_marks(self.outcome.result, errors)
            self.outcome.syntax_errors.extend(marks)
            self.syntax_marked.emit(marks)
        self._on_syntax_check_stopped()

    def _on_syntax_check_failed(self, error: Exception) -> None:
        log.warning("syntax check of %s failed: %s", self.path, error)
        if shiboken6.isValid(self.preview):
            self.preview.show_syntax_report({}, [pk.Problem("syntax check", f"the code could not be parsed ({error})")])
        self._on_syntax_check_stopped()

    def _on_syntax_check_stopped(self) -> None:
        self.checking = False
        if self.outcome is not None:
            self.outcome.syntax_pending = False
        if self._ending:
            self._end(self._end_value)

    def _on_preview_accepted(self) -> None:
        choices = self.preview.choices()
        package, creator = self.prepared.plan.package, self.settings.creator_id
        self._start_job(f"Importing {self.prepared.plan.name}…", self._on_imported, run_import, self.dsn, package,
                        creator, choices.rename_clashing_widgets)

    def _on_preview_rejected(self) -> None:
        self._end(None)

    def _on_imported(self, result: ImportResult) -> None:
        self.outcome = ImportOutcome(result, syntax_marks(result, self.prepared.syntax_errors), self.checking)
        self.value = result.plugin_id  # known now, even if ``ended`` waits for the parse
        self.imported.emit(self.outcome)
        self._end(result.plugin_id)

    def _end(self, value: Any) -> None:
        """Ended once the parse is over as well (it is stopped when nothing was imported)."""
        if self.checking:
            self._ending, self._end_value = True, value
            if value is None:
                self.check_job.cancel()
            return
        super()._end(value)

    def cancel(self) -> None:
        if self.check_job is not None:
            self.check_job.cancel()
            self.check_job.wait(10)
        super().cancel()

    def _on_job_failed(self, error: Exception) -> None:
        if isinstance(error, pk.PackageInvalid):
            self.error_box = _show_problems(self.parent_widget, self.path, error)
            self.refused.emit(error)
            self._end(None)
        else:
            super()._on_job_failed(error)


class ExportFlow(_Flow):
    """Export a plugin: facts → options dialog → write. ``exported`` carries an ``ExportSummary``."""

    options_shown = Signal(object)   # the ExportDialog
    exported = Signal(object)
    failure_title = "Export failed"

    def __init__(self, parent_widget: QWidget | None, dsn: str, plugin_id: str, directory: str | Path | None = None,
                 settings: Settings | None = None):
        super().__init__(parent_widget, dsn)
        self.plugin_id = plugin_id
        self.directory = Path(directory) if directory else Path.home()
        self.settings = settings or Settings.load()
        self.options: ExportDialog | None = None

    def start(self) -> None:
        self._start_job("Reading the plugin…", self._on_facts, export_facts, self.dsn, self.plugin_id)

    def _on_facts(self, facts: ExportFacts) -> None:
        default = self.directory / pk.default_file_name(facts.slug, facts.version)
        self.options = ExportDialog(facts.name, default, facts.data_keys, self.parent_widget)
        self.options.accepted.connect(self._on_options_accepted)
        self.options.rejected.connect(lambda: self._end(None))
        self.options.open()
        self.options_shown.emit(self.options)

    def _on_options_accepted(self) -> None:
        choices = self.options.choices()
        self._start_job(f"Exporting to {choices.path.name}…", self._on_exported, run_export, self.dsn, self.plugin_id,
                        choices.path, choices.include_data, choices.format, pk.Limits.from_settings(self.settings))

    def _on_exported(self, summary: pk.ExportSummary) -> None:
        self.exported.emit(summary)
        self._end(str(summary.path))


def start_import(parent: QWidget | None, dsn: str, path: str | Path) -> ImportFlow:
    """Begin importing without waiting; connect to ``ended``/``imported`` before control returns to Qt."""
    flow = ImportFlow(parent, dsn, path)
    flow.start()
    return flow


def start_export(parent: QWidget | None, dsn: str, plugin_id: str, directory: str | Path | None = None) -> ExportFlow:
    flow = ExportFlow(parent, dsn, plugin_id, directory)
    flow.start()
    return flow


def import_package_interactively(parent: QWidget | None, dsn: str, path: str | Path) -> str | None:
    """Import a package with preview and progress; the new plugin's id, or None (cancelled or failed)."""
    return _wait(ImportFlow(parent, dsn, path))


def export_package_interactively(parent: QWidget | None, dsn: str, plugin_id: str,
                                 directory: str | Path | None = None) -> str | None:
    """Export a plugin with options and progress; the written path, or None."""
    return _wait(ExportFlow(parent, dsn, plugin_id, directory))


def _wait(flow: _Flow) -> Any:
    loop = QEventLoop()
    flow.ended.connect(loop.quit)
    flow.start()
    if not flow.done:
        loop.exec()
    return flow.value


def package_paths(mime: QMimeData) -> list[str]:
    """The local ``.json`` files in a drag, for the window's dragEnterEvent/dropEvent."""
    return [url.toLocalFile() for url in mime.urls()
            if url.isLocalFile() and url.toLocalFile().lower().endswith(".json")]


def _progress_dialog(parent: QWidget | None, title: str) -> QProgressDialog:
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setObjectName("package-progress")
    dialog.setWindowTitle("Plugin package")
    dialog.setMinimumDuration(PROGRESS_DELAY_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    return dialog


def _show_problems(parent: QWidget | None, path: str, error: pk.PackageInvalid) -> QMessageBox:
    """Why the package was refused: the first problems inline, all of them under Show Details."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Package not imported",
                      f"{Path(path).name} was not imported; nothing was changed.\n\n{problems_text(error.problems)}",
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("package-problems")
    if len(error.problems) > 1:
        box.setDetailedText("\n".join(map(str, error.problems)))
    box.setModal(False)
    box.show()
    return box
