"""Completion, signature help, hover and go-to-definition in the code editor, with Scintilla's
own autocompletion list and calltips. What is offered comes from ``models.syntax.completion``;
``sources`` (the plugin's names, modules and the widget's config keys) is kept current by the
workbench. The list opens on Ctrl+Space, after a ``.``, and at the start of a hook or event name
or a module path; the highlighted entry's documentation shows above the line. ``(`` shows the
called function's signature; resting the mouse on code shows what it is, or its problem.
"""
from __future__ import annotations

import re

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QLabel

from plugin_studio.models.syntax.completion import (
    MEMBER, MODULE_PATH, NAME_ARGUMENT, Completion, CompletionSources, complete, describe_callee, signature_at,
)
from plugin_studio.models.syntax.js_api import NAME_ARGUMENT_METHODS
from plugin_studio.models.syntax.modules import module_exports, module_name, required_modules

SC_ORDER_CUSTOM = 2
DWELL_MS = 600


class CodeAssist(QObject):
    """Completion and help for one CodeEditor."""

    definition_requested = Signal(str, int)   # module name (as require resolves it), line in it (0: top)
    usages_requested = Signal(str, str)       # kind (name | hook | event), name

    def __init__(self, editor):
        super().__init__(editor)
        self.editor = editor
        self.sources = CompletionSources()
        self.offers: list[Completion] = []
        editor.autoCSetSeparator(ord("\n"))
        editor.autoCSetIgnoreCase(True)
        editor.autoCSetMaxHeight(12)
        editor.autoCSetOrder(SC_ORDER_CUSTOM)
        editor.autoCSetCancelAtStart(False)
        editor.callTipSetPosition(True)   # above the line: the list opens below it
        editor.setMouseDwellTime(DWELL_MS)
        editor.charAdded.connect(self._on_char_added)
        editor.dwellStart.connect(self._on_dwell)
        editor.dwellEnd.connect(lambda *_: editor.callTipCancel())
        editor.autoCompleteSelection.connect(lambda *_: self.hide_documentation())
        editor.autoCompleteCancelled.connect(self.hide_documentation)
        # Scintilla cancels its list when a calltip opens, so the list's documentation is a popup.
        self.documentation = QLabel(editor, Qt.WindowType.ToolTip)
        self.documentation.setObjectName("completion-documentation")
        self.documentation.setWordWrap(True)
        self.documentation.setMaximumWidth(520)
        self.documentation.setStyleSheet("QLabel { background: #f8f8f8; color: #1f1f1f; border: 1px solid #c8c8c8;"
                                         " padding: 4px 6px; }")

    def enabled(self) -> bool:
        # Off in rows mode: completion reads the caret's row as its line (ui/editor_rows.py).
        return self.editor.editing.language in ("javascript", "jsx") and self.editor.rows is None

    # -- completion --------------------------------------------------------------------------
    def line_before_caret(self) -> str:
        editor = self.editor
        position = editor.currentPos()
        return editor.text_range(editor.positionFromLine(editor.lineFromPosition(position)), position)

    def show_completions(self) -> list[Completion]:
        """Ctrl+Space: the offers at the caret, in Scintilla's list; returns them."""
        if not self.enabled():
            return []
        typed, self.offers = complete(self.line_before_caret(), self.editor.text_bytes(), self.sources)
        if self.offers:
            self.editor.autoCShow(typed, "\n".join(o.label for o in self.offers))
            self.show_documentation()
        return self.offers

    def show_documentation(self) -> None:
        """The highlighted entry's signature and documentation, above the caret's line."""
        editor = self.editor
        index = editor.autoCCurrent()
        if not editor.autoCActive() or not 0 <= index < len(self.offers):
            self.hide_documentation()
            return
        offer = self.offers[index]
        text = "\n".join(part for part in (offer.detail, offer.documentation) if part)
        if not text:
            self.hide_documentation()
            return
        self.documentation.setText(text)
        self.documentation.adjustSize()
        position = editor.currentPos()
        corner = QPoint(editor.pointXFromPosition(position), editor.pointYFromPosition(position))
        self.documentation.move(editor.mapToGlobal(corner) - QPoint(0, self.documentation.height() + 2))
        self.documentation.show()

    def hide_documentation(self) -> None:
        self.documentation.hide()

    def _on_char_added(self, char: int) -> None:
        self.typed(chr(char))

    def typed(self, char: str) -> None:
        """After ``char`` was typed: open the list or the signature where it helps."""
        if not self.enabled():
            return
        before = self.line_before_caret()
        if char == ".":
            self.show_completions()
        elif char in "'\"`" and (NAME_ARGUMENT.search(before) or MODULE_PATH.search(before)):
            self.show_completions()
        elif char == "(":
            self.show_signature()
        elif char == ")":
            self.editor.callTipCancel()

    def show_signature(self) -> str | None:
        """The signature of the call the caret is in, as a calltip; returns its text."""
        text = signature_at(self.line_before_caret(), self.editor.text_bytes(), self.sources)
        if text:
            self.editor.callTipShow(self.editor.currentPos(), text)
        return text

    # -- hover -------------------------------------------------------------------------------
    def _on_dwell(self, x: int, y: int) -> None:
        editor = self.editor
        position = editor.positionFromPointClose(x, y)
        if position < 0:
            return
        text = self.describe_at(position)
        if text:
            editor.callTipShow(position, text)

    def describe_at(self, position: int) -> str:
        """What the code at ``position`` is: its problems, or the name's documentation."""
        problems = "\n".join(("✖ " if p.severity == "error" else "⚠ ") + p.message
                             for p in self.editor.marks.at(self.editor.file_position(position)))
        if problems or not self.enabled():
            return problems
        named = self.platform_name_at(position)
        if named is not None:
            return self.sources.known.describe(named[1])
        editor = self.editor
        end = editor.wordEndPosition(position, True)
        before = editor.text_range(editor.positionFromLine(editor.lineFromPosition(position)), end)
        return describe_callee(before, editor.text_bytes(), self.sources) or ""

    def platform_name_at(self, position: int) -> tuple[str, str] | None:
        """(hook | event, name) when ``position`` is in the name argument of a hook/event call."""
        editor = self.editor
        line = editor.lineFromPosition(position)
        before = editor.text_range(editor.positionFromLine(line), position)
        found = NAME_ARGUMENT.search(before)
        if found is None or found.group(2) not in NAME_ARGUMENT_METHODS:
            return None
        rest = re.match(r"[\w.:-]*", editor.text_range(position, editor.lineEndPosition(line))).group()
        return NAME_ARGUMENT_METHODS[found.group(2)], found.group(4) + rest

    # -- navigation --------------------------------------------------------------------------
    def go_to_definition(self, position: int | None = None) -> bool:
        """F12: the module of a ``require``/``import`` path, the export a module name's member
        names, or the declaration of a name in this file. False when there is nothing to go to."""
        editor = self.editor
        position = editor.currentPos() if position is None else position
        line_start = editor.positionFromLine(editor.lineFromPosition(position))
        line_end = editor.lineEndPosition(editor.lineFromPosition(position))
        before, after = editor.text_range(line_start, position), editor.text_range(position, line_end)
        path = MODULE_PATH.search(before)
        if path:
            target = path.group(2) + re.match(r"[^'\"]*", after).group()
            return self._open_module(module_name(target), 0)
        end = editor.wordEndPosition(position, True)
        member = MEMBER.search(editor.text_range(line_start, end))
        if member:
            module = required_modules(editor.text()).get(member.group(1))
            if module:
                code = self.sources.modules.get(module_name(module))
                line = next((e.line for e in module_exports(code or "") if e.name == member.group(2)), 0)
                return self._open_module(module_name(module), line)
        return self._go_to_declaration(editor.text_range(editor.wordStartPosition(position, True), end))

    def _open_module(self, name: str, line: int) -> bool:
        if name not in self.sources.modules:
            return False
        self.definition_requested.emit(name, line)
        return True

    def _go_to_declaration(self, name: str) -> bool:
        if not name:
            return False
        pattern = re.compile(rf"\b(?:function\*?|const|let|var|class)\s+{re.escape(name)}\b"
                             rf"|\b{re.escape(name)}\s*[,}}]?\s*=\s*require\(")
        match = pattern.search(self.editor.text())
        if match is None:
            return False
        self.editor.go_to_line(self.editor.text()[:match.start()].count("\n") + 1,
                               match.start() - self.editor.text().rfind("\n", 0, match.start()))
        return True

    def find_usages(self, position: int | None = None) -> None:
        """Shift+F12: a hook/event name in a string → its uses in all plugins; else the word."""
        editor = self.editor
        position = editor.currentPos() if position is None else position
        named = self.platform_name_at(position)
        if named is not None:
            self.usages_requested.emit(*named)
            return
        word = editor.text_range(editor.wordStartPosition(position, True), editor.wordEndPosition(position, True))
        if word:
            self.usages_requested.emit("name", word)
