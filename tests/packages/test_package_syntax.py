"""Code in a package is parsed by the JS runtime (QuickJS in the worker); syntax errors are warnings, not refusals."""
from __future__ import annotations

import threading

import pytest
from package_samples import current_package, write

from plugin_studio.cli import main
from plugin_studio.db import files
from plugin_studio.models import package as pk
from plugin_studio.runner.host import JsHost
from plugin_studio.runner.limits import Limits
from plugin_studio.runner.syntax import check_syntax_many
from plugin_studio.settings import Settings
from plugin_studio.ui import package_actions as pa


def _broken_package() -> dict:
    package = current_package()
    package["events"][1]["listenerCode"] = "function notify(order) {\n  return order.total +;\n}"
    package["files"][0]["content"] = "export const rate = ;\n"
    return package


@pytest.fixture(scope="module")
def host():
    # These tests are about what the parser finds, not about the time limit: the first JSX check
    # loads Babel inside the call, which a loaded machine can stretch past the default 1 s.
    with JsHost(Limits(timeout_ms=60_000)) as h:
        yield h


def test_syntax_errors_are_found_with_their_line(host, tmp_path):
    package = pk.load_package(write(tmp_path, _broken_package()))
    report = pk.syntax_warnings(package, lambda items: check_syntax_many(host, items))
    by_row = {(t, i): str(p) for t, i, p in report.errors}
    assert set(by_row) == {("plugin_events", 1), ("plugin_scripts", 0)}
    assert by_row[("plugin_events", 1)].startswith(
        "events[1] (events/notify_customer.js): syntax error at line 2:")
    assert by_row[("plugin_scripts", 0)].startswith("files[0] (utils/points.js): syntax error at line 1:")


def test_valid_code_gives_no_warning(host, tmp_path):
    package = current_package()
    package["widgets"] = []
    report = pk.syntax_warnings(pk.load_package(write(tmp_path, package)),
                                lambda items: check_syntax_many(host, items))
    assert report.errors == [] and report.notes == [] and report.checked == 7


def test_jsx_widget_syntax_error_is_found(host, tmp_path):
    package = current_package()
    package["widgets"][0]["componentCode"] = "function W() { return <div>{1</div>; }"
    report = pk.syntax_warnings(pk.load_package(write(tmp_path, package)),
                                lambda items: check_syntax_many(host, items))
    assert [(t, i) for t, i, _p in report.errors] == [("plugin_widgets", 0)]


def test_a_checker_that_fails_is_one_note_not_a_warning_per_row(tmp_path):
    def failing(items):
        raise RuntimeError("worker crashed")

    report = pk.syntax_warnings(pk.load_package(write(tmp_path, current_package())), failing)
    assert report.errors == []
    assert [n.message for n in report.notes] == [
        "javascript could not be syntax-checked (worker crashed); the remaining javascript code was not checked",
        "jsx could not be syntax-checked (worker crashed); the remaining jsx code was not checked"]


def _notes(dialog, group: str) -> dict[str, str]:
    top = next(dialog.items.topLevelItem(i) for i in range(dialog.items.topLevelItemCount())
               if dialog.items.topLevelItem(i).text(0).startswith(group))
    return {top.child(i).text(0): top.child(i).text(1) for i in range(top.childCount())}


def test_preview_opens_before_the_parse_and_its_marks_fill_in(qtbot, conn, dsn, tmp_path):
    flow = pa.ImportFlow(None, dsn, write(tmp_path, _broken_package()), Settings())
    with qtbot.waitSignal(flow.preview_shown) as shown:
        flow.start()
    dialog = shown.args[0]
    qtbot.addWidget(dialog)
    # The parse starts as the preview opens: no mark yet, Import usable.
    assert dialog.syntax_status.text().startswith("Checking the code's syntax")
    assert not _notes(dialog, "Event")["events/notify_customer.js"].startswith("⚠")
    assert dialog.import_button.isEnabled()

    with qtbot.waitSignal(flow.syntax_checked):
        pass
    assert _notes(dialog, "Event")["events/notify_customer.js"].startswith("⚠ syntax error at line 2:")
    assert _notes(dialog, "Files")["utils/points.js"].startswith("⚠ syntax error at line 1:")
    assert dialog.syntax_status.text() == "Syntax checked: 2 files with errors (imported as they are)"
    warnings = [dialog.warnings.item(i).text() for i in range(dialog.warnings.count())]
    assert any(w.startswith("⚠ events[1]") for w in warnings) and dialog.warnings_box.isVisibleTo(dialog)

    with qtbot.waitSignal(flow.imported) as imported:
        dialog.import_button.click()
    outcome = imported.args[0]
    rows = files.load_plugin_files(conn, outcome.result.plugin_id)
    broken_event = next(e for e in rows.events if e.file_name == "notify_customer.js")
    broken_script = next(s for s in rows.scripts if s.file_name == "utils/points.js")
    marked = {(table, row_id) for table, row_id, _message in outcome.syntax_errors}
    assert marked == {("plugin_events", broken_event.id), ("plugin_scripts", broken_script.id)}
    assert not outcome.syntax_pending
    assert broken_event.listener_function.endswith("order.total +;\n}")  # imported as it was


def test_errors_found_after_the_import_are_tied_to_the_imported_rows(qtbot, conn, dsn, tmp_path):
    """Import is pressed while the parse still runs (held until the import is done)."""
    import_done = threading.Event()

    def parse_after_the_import(package, control):
        import_done.wait(30)
        return pa.collect_syntax_errors(package, control)

    flow = pa.ImportFlow(None, dsn, write(tmp_path, _broken_package()), Settings(),
                         syntax_checker=parse_after_the_import)
    with qtbot.waitSignal(flow.preview_shown) as shown:
        flow.start()
    dialog = shown.args[0]
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(flow.imported) as imported:
        dialog.import_button.click()
    outcome = imported.args[0]
    assert outcome.syntax_pending and outcome.syntax_errors == [] and not flow.done

    late = []
    flow.syntax_marked.connect(late.append)
    with qtbot.waitSignal(flow.ended):
        import_done.set()
    [marks] = late
    rows = files.load_plugin_files(conn, outcome.result.plugin_id)
    broken_event = next(e for e in rows.events if e.file_name == "notify_customer.js")
    assert ("plugin_events", broken_event.id) in {(table, row_id) for table, row_id, _m in marks}
    assert outcome.syntax_errors == marks and not outcome.syntax_pending
    assert flow.value == outcome.result.plugin_id


def test_closing_the_preview_stops_the_parse_and_imports_nothing(qtbot, conn, dsn, tmp_path, db_snapshot):
    before = db_snapshot(conn)
    flow = pa.ImportFlow(None, dsn, write(tmp_path, _broken_package()), Settings())
    with qtbot.waitSignal(flow.preview_shown) as shown:
        flow.start()
    qtbot.addWidget(shown.args[0])
    with qtbot.waitSignal(flow.ended) as ended:
        shown.args[0].reject()
    assert ended.args == [None] and not flow.checking
    assert db_snapshot(conn) == before


def test_cli_import_prints_syntax_warnings_and_succeeds(conn, tmp_path, capsys):
    assert main(["import", str(write(tmp_path, _broken_package()))]) == 0
    captured = capsys.readouterr()
    assert "plugin-studio: warning: events[1] (events/notify_customer.js): syntax error at line 2:" in captured.err
    assert captured.out.strip().endswith("Loyalty Points  loyalty-points")
