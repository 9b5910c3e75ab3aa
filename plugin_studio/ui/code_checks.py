"""Problems as you type, and syntax marks of a whole plugin in the tree.

Shortly after the editor's tree catches up with the typing (``CHECK_DELAY_MS``), a background job
runs the editor's own checks on a copy of the tree (``models.syntax.diagnose``: syntax errors in
the code's own terms, hook and event names nobody knows, React's rules of hooks) and, for hook,
event and widget files, the storefront loader's verdict on the handler's shape. When tree-sitter
finds no syntax error in JavaScript, the JS engine itself parses the code too (it knows rules a
grammar doesn't, such as ``await`` outside ``async``) and its error is shown. An answer for text
the user has typed on from is dropped: the next one follows.
"""
from __future__ import annotations

import logging

import shiboken6
import tree_sitter
from PySide6.QtCore import QObject, QTimer

from plugin_studio.db import files, name_usage, plugins
from plugin_studio.models.paths import checkable_code
from plugin_studio.models.platform_names import KnownNames
from plugin_studio.models.syntax.completion import CompletionSources
from plugin_studio.models.syntax.modules import module_name
from plugin_studio.models.syntax.diagnose import SCRIPT_LANGUAGES, diagnose
from plugin_studio.models.syntax.grammars import grammar_for
from plugin_studio.models.syntax.positions import Positions
from plugin_studio.models.syntax.platform_calls import row_name_problems
from plugin_studio.models.syntax.problems import Problem, problem_at
from plugin_studio.models.syntax.syntax_errors import syntax_problems
from plugin_studio.runner.storefront_check import storefront_problems
from plugin_studio.runner.syntax import check_syntax, check_syntax_many, lint_platform_shape
from plugin_studio.ui import jobs
from plugin_studio.ui.lanes import Lane
from plugin_studio.ui.preview.samples import SLOT_SAMPLES

log = logging.getLogger(__name__)
HANDLER_TABLES = ("plugin_events", "plugin_hooks", "plugin_widgets")
CHECK_DELAY_MS = 60   # after the tree caught up: typing has paused
# The engine's own parse of a larger file takes the worker's time limit (and the runner lane, which
# previews share) on every pause; tree-sitter's check stands alone there.
ENGINE_CHECK_MAX_BYTES = 256 * 1024


STOREFRONT_LOADED = ("plugin_events", "plugin_hooks")   # App.jsx evals these; widgets are compiled


def check_document(control, source: bytes, tree: tree_sitter.Tree, language: str, known: dict,
                   row_name: tuple[str, str] | None = None) -> list[Problem]:
    """A job: the editor's checks of one document, and for a handler whether anything calls the
    name its row is registered for (``row_name``: kind, name). The syntax errors are handed over
    first (``control.note``), the rest when all is done; a check overtaken by the next one stops
    at the next of ``diagnose``'s checkpoints."""
    problems = diagnose(source, tree, language, known, on_syntax=control.note, checkpoint=control.check)
    if row_name is not None:
        problems = row_name_problems(row_name[1], row_name[0], known, Positions(source)) + problems
    return problems


def engine_problems(host, code: str, language: str, table: str) -> tuple[list, list]:
    """A runner lane job: (the engine's syntax errors as the runner loads the file — hooks and
    events strict, as the storefront runs them —, then what the storefront's loader makes of a
    handler: runner.storefront_check for hooks and events, the shape lint for widgets)."""
    syntax = [p for p in check_syntax(host, code, language, strict=table in STOREFRONT_LOADED)
              if getattr(p, "severity", "error") == "error"]
    if syntax:
        return syntax, []
    if table in STOREFRONT_LOADED:
        return [], list(storefront_problems(host, code))
    return [], list(lint_platform_shape(code)) if table in HANDLER_TABLES else []


def _token_end(source: bytes, start: int, line_end: int) -> int:
    end = start
    while end < line_end and source[end:end + 1] not in (b" ", b"\t", b"(", b";"):
        end += 1
    return max(end, min(start + 1, line_end))


def load_checkable(conn, plugin_id: str) -> list[tuple[str, str, str, str]]:
    """A database lane job: every parsable file of a plugin with its code."""
    return checkable_code(plugins.get_plugin(conn, plugin_id), files.load_plugin_files(conn, plugin_id))


def load_modules(conn, plugin_id: str) -> dict[str, tuple[str, str]]:
    """Runs on the database worker: {module name: (script row id, code)} as ``require`` resolves them."""
    return {module_name(s.file_name): (s.id, s.file_content or "")
            for s in files.load_plugin_files(conn, plugin_id).scripts if s.file_name}


def load_known_names(conn) -> tuple:
    """Runs on the database worker: every hook/event name in the database, as KnownNames wants."""
    return tuple((o.name, o.kind, o.table, o.row_id, o.registered) for o in name_usage.name_occurrences(conn))


def first_syntax_errors(_control, items: list[tuple[str, str, str, str]]) -> tuple[dict, list]:
    """A job: {(table, row id): first syntax error} by tree-sitter over a plugin's files, and the
    JavaScript files it found clean (for the engine's own check)."""
    marks, clean = {}, []
    for table, row_id, language, code in items:
        grammar = grammar_for(language)
        if grammar is None:
            continue
        source = code.encode("utf-8")
        problems = syntax_problems(tree_sitter.Parser(grammar.language).parse(source), Positions(source))
        if problems:
            marks[(table, row_id)] = problems[0].label
        elif language in SCRIPT_LANGUAGES:
            clean.append((table, row_id, language, code))
    return marks, clean


def first_engine_errors(host, items: list[tuple[str, str, str, str]]) -> dict[tuple[str, str], str]:
    """Runs on the runner's thread: the engine's first syntax error of each file, one batch."""
    results = check_syntax_many(host, [(code, language, table in STOREFRONT_LOADED)
                                       for table, _r, language, code in items])
    marks = {}
    for (table, row_id, _language, _code), problems in zip(items, results):
        errors = [p for p in problems if getattr(p, "severity", "error") == "error"]
        if errors:
            marks[(table, row_id)] = f"line {errors[0].line}:{errors[0].column}: {errors[0].message}"
    return marks


def _row_name(doc) -> tuple[str, str] | None:
    """(kind, name) a hook or event row is registered for."""
    if doc.table == "plugin_hooks":
        return "hook", doc.meta.get("hook_name") or ""
    if doc.table == "plugin_events":
        return "event", doc.meta.get("event_name") or ""
    return None


class CodeChecker(QObject):
    """Checks open editors as the user types, and a whole plugin's files for the tree's marks."""

    def __init__(self, runner: Lane, parent: QObject | None = None, on_marks=None):
        super().__init__(parent)
        self.runner = runner
        self.on_marks = on_marks or (lambda marks, replace: None)
        self.known = KnownNames()
        self.modules: dict[str, tuple[str, str]] = {}   # module name → (script row id, code)
        self._tabs: list = []
        self._checking: dict[int, jobs.Job] = {}   # id(tab) → its check under way

    # -- what completion and the checks know about the plugin ------------------------------------
    def load_names(self, db, plugin_id: str | None = None) -> None:
        """Read the database's hook/event names, and the plugin's modules, in the background."""
        db.submit(load_known_names, owner=self, title="Reading hook and event names", on_done=self._set_names,
                  on_error=lambda error: log.warning("could not read hook/event names: %s", error))
        if plugin_id is not None:
            db.submit(load_modules, plugin_id, owner=self, title="Reading the plugin's modules",
                      on_done=self._set_modules,
                      on_error=lambda error: log.warning("could not read the plugin's modules: %s", error))

    def _set_names(self, occurrences: tuple) -> None:
        self.known = KnownNames(occurrences)
        self._share_sources()

    def _set_modules(self, modules: dict) -> None:
        self.modules = modules
        self._share_sources()

    def sources_for(self, tab) -> CompletionSources:
        config = tab.document.meta.get("default_config") if tab.document.table == "plugin_widgets" else None
        keys = tuple(config) if isinstance(config, dict) else ()
        samples = {"slotData": tuple(SLOT_SAMPLES.items()),
                   "config": (("default_config", config),) if isinstance(config, dict) else ()}
        return CompletionSources(self.known, keys, {name: code for name, (_row, code) in self.modules.items()},
                                 samples)

    def _share_sources(self) -> None:
        self._tabs = [t for t in self._tabs if shiboken6.isValid(t)]
        for tab in self._tabs:
            tab.editor.assist.sources = self.sources_for(tab)

    # -- the whole plugin, for the tree ----------------------------------------------------------
    def check_plugin(self, db, plugin_id: str, still_current) -> None:
        """Parse every file of the plugin in the background; ``still_current()`` drops stale answers."""
        db.submit(load_checkable, plugin_id, owner=self, title="Reading the plugin's code",
                  on_done=lambda items: jobs.start(first_syntax_errors, items, owner=self, title="Parsing the plugin's code",
                                                   on_done=lambda found: self._engine_pass(found, still_current)))

    def _engine_pass(self, found: tuple[dict, list], still_current) -> None:
        marks, clean = found
        if not clean:
            if still_current():
                self.on_marks(marks, True)
            return
        self.runner.submit(first_engine_errors, clean, owner=self, title="Parsing the plugin's code",
                           on_done=lambda more: still_current() and self.on_marks({**marks, **more}, True))

    # -- one open file ------------------------------------------------------------------------
    def watch(self, tab) -> None:
        """Check ``tab`` shortly after each change of its syntax tree (and once now)."""
        self._tabs.append(tab)
        tab.editor.assist.sources = self.sources_for(tab)
        timer = QTimer(tab, singleShot=True, interval=CHECK_DELAY_MS)
        timer.setObjectName("check-timer")
        timer.timeout.connect(lambda t=tab: self.check(t))
        tab.editor.highlighter.tree_updated.connect(timer.start)
        tab.editor.loaded.connect(timer.start)
        timer.start()

    def check(self, tab) -> None:
        if not shiboken6.isValid(tab) or tab.editor.is_loading():
            return
        editor, doc = tab.editor, tab.document
        document = editor.highlighter.document
        if document is None or document.tree is None:
            editor.show_problems([])
            editor.show_problems([], "syntax")
            return
        if not editor.highlighter.document.up_to_date:
            return   # tree_updated follows, and with it the next check
        source = editor.text_bytes()
        known = self.known.for_check(besides=(doc.table, doc.row_id))
        previous = self._checking.get(id(tab))
        if previous is not None:
            previous.cancel()   # its text is gone: the GIL is better spent on this one
        job = jobs.start(check_document, source, document.tree.copy(), doc.language, known, _row_name(doc),
                         owner=tab, on_note=lambda syntax, t=tab: self._show_syntax(t, source, syntax),
                         on_done=lambda problems, t=tab: self._show(t, source, problems),
                         on_error=lambda error: log.warning("checking %s failed: %s", doc.path, error))
        self._checking[id(tab)] = job
        job.ended.connect(lambda key=id(tab), j=job: self._checking.get(key) is j and self._checking.pop(key))

    def _show_syntax(self, tab, source: bytes, syntax: list[Problem]) -> None:
        if shiboken6.isValid(tab) and tab.editor.text_bytes() == source:
            tab.editor.show_problems(syntax, "syntax")

    def _show(self, tab, source: bytes, problems: list[Problem]) -> None:
        if not shiboken6.isValid(tab) or tab.editor.text_bytes() != source:
            return   # the user typed on; the next check follows
        tab.editor.show_problems([p for p in problems if p.source == "syntax"], "syntax")
        tab.editor.show_problems([p for p in problems if p.source != "syntax"])
        errors = [p for p in problems if p.severity == "error"]
        key = (tab.document.table, tab.document.row_id)
        self.on_marks({key: errors[0].label if errors else None}, False)
        if tab.document.language in SCRIPT_LANGUAGES and not any(p.source == "syntax" for p in problems) \
                and len(source) <= ENGINE_CHECK_MAX_BYTES:
            self._engine_check(tab, source)
        else:
            tab.editor.show_problems([], "engine")

    def _engine_check(self, tab, source: bytes) -> None:
        doc = tab.document
        self.runner.submit(engine_problems, source.decode("utf-8", "replace"), doc.language, doc.table, owner=tab,
                           title=f"Checking {doc.path}",
                           on_done=lambda found, t=tab: self._show_engine(t, source, found),
                           on_error=lambda error: log.warning("engine check of %s failed: %s", doc.path, error))

    def _show_engine(self, tab, source: bytes, found: tuple[list, list]) -> None:
        if not shiboken6.isValid(tab) or tab.editor.text_bytes() != source:
            return
        positions = Positions(source)
        syntax, storefront = found
        problems = [self._placed(positions, p, "engine") for p in syntax]
        problems += [self._placed(positions, p, "storefront") for p in storefront]
        tab.editor.show_problems(problems, "engine")
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            self.on_marks({(tab.document.table, tab.document.row_id): errors[0].label}, False)

    @staticmethod
    def _placed(positions: Positions, found, source: str) -> Problem:
        """A runner's CodeProblem (line:column in characters) as a problem on its token."""
        line, column = found.line or 1, found.column or 1
        start = positions.offset(line, column)
        end = _token_end(positions.source, start, positions.line_end(min(line, positions.line_count)))
        severity = getattr(found, "severity", "error")
        return problem_at(positions, start, end, found.message, severity, source)
