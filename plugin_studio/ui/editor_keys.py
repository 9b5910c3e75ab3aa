"""The code editor's own keys, declared once. The editor dispatches a key press through
``command_for`` (ui/editor.py), and the window's keymap (ui/window_menus.py) declares each as an
``EDITOR`` command, so that no window key takes one and the palette, the Edit menu and Help ▸
Keyboard Shortcuts show them. Keys as VS Code has them.

``SCINTILLA_KEYS`` are Scintilla's own default keys that the window must leave to the editor (and
shows): Scintilla handles them itself, nothing here dispatches them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
             | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier)


@dataclass(frozen=True)
class EditorKey:
    """``run(editor)`` does it; ``edits``: it changes the text, so it is one undo step and is left
    to Scintilla while its completion list is open or the document is read-only. ``in_rows``: it
    works in a file shown in rows (ui/editor_rows.py); the others say they are off there."""
    id: str
    text: str
    keys: tuple[str, ...]
    run: Callable[[object], object]
    edits: bool = False
    in_rows: bool = False


EDITOR_KEYS = (
    EditorKey("editor.triggerSuggest", "Trigger Suggest", ("Ctrl+Space",), lambda e: e.assist.show_completions()),
    EditorKey("editor.goToDefinition", "Go to Definition", ("F12",), lambda e: e.assist.go_to_definition()),
    EditorKey("editor.findUsages", "Find Usages", ("Shift+F12",), lambda e: e.assist.find_usages()),
    EditorKey("editor.quickFix", "Quick Fix…", ("Ctrl+.",), lambda e: e.offer_quick_fixes(),
              in_rows=True),
    EditorKey("editor.formatDocument", "Format Document", ("Shift+Alt+F",), lambda e: e.format_requested.emit(),
              in_rows=True),
    EditorKey("editor.toggleLineComment", "Toggle Line Comment", ("Ctrl+/",),
              lambda e: e.editing.toggle_line_comment(), edits=True),
    EditorKey("editor.toggleBlockComment", "Toggle Block Comment", ("Shift+Alt+A",),
              lambda e: e.editing.toggle_block_comment(), edits=True),
    EditorKey("editor.addNextOccurrence", "Add Selection to Next Find Match", ("Ctrl+D",),
              lambda e: e.editing.add_next_occurrence(), edits=True),
    EditorKey("editor.moveLinesUp", "Move Line Up", ("Alt+Up",), lambda e: e.moveSelectedLinesUp(), edits=True),
    EditorKey("editor.moveLinesDown", "Move Line Down", ("Alt+Down",), lambda e: e.moveSelectedLinesDown(),
              edits=True),
    EditorKey("editor.copyLinesUp", "Copy Line Up", ("Shift+Alt+Up",), lambda e: e.editing.copy_lines_up(),
              edits=True),
    EditorKey("editor.copyLinesDown", "Copy Line Down", ("Shift+Alt+Down",), lambda e: e.editing.copy_lines_down(),
              edits=True),
    EditorKey("editor.deleteLines", "Delete Line", ("Ctrl+Shift+K",), lambda e: e.editing.delete_lines(), edits=True),
)
SCINTILLA_KEYS = (
    ("edit.undo", "Undo", ("Ctrl+Z",)),
    ("edit.redo", "Redo", ("Ctrl+Y", "Ctrl+Shift+Z")),
    ("edit.cut", "Cut", ("Ctrl+X",)),
    ("edit.copy", "Copy", ("Ctrl+C",)),
    ("edit.paste", "Paste", ("Ctrl+V",)),
    ("edit.selectAll", "Select All", ("Ctrl+A",)),
)
_BY_KEY = {QKeySequence(key)[0]: command for command in EDITOR_KEYS for key in command.keys}


def command_for(event: QKeyEvent) -> EditorKey | None:
    """The editor command bound to the key pressed, if any."""
    pressed = QKeyCombination(event.modifiers() & MODIFIERS, Qt.Key(event.key()))
    return _BY_KEY.get(pressed)


def run(editor, command: EditorKey) -> None:
    """Run ``command`` on ``editor``; an editing command is one undo step."""
    if getattr(editor, "rows", None) is not None and not command.in_rows:
        editor.rows.refuse(command.text)
        return
    if not command.edits:
        command.run(editor)
        return
    editor.beginUndoAction()
    try:
        command.run(editor)
    finally:
        editor.endUndoAction()
