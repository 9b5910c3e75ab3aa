"""The keymap: every command of the window declared once, with its id, text, shortcut, where the
shortcut works, and what it does. Menus, the toolbar, the command palette and Help ▸ Keyboard
Shortcuts are all built from it, so a key is bound in one place and shown the same everywhere.

    commands = CommandRegistry(window)
    commands.declare(Command("file.save", "Save", "File", editors.save_current, ("Ctrl+S",)))
    commands.action("file.save")          # the QAction, for menus and toolbars

Where a shortcut works (``context``):

- ``WINDOW``: anywhere in the window (the action belongs to the window);
- ``EDITOR``: while the code editor has focus; the editor handles these keys itself (Scintilla's own
  and the editor's), so here they are declared for the keymap, menus and palette only;
- ``TREE``: while the file tree has focus (Delete deletes a row there, a character in the editor).

Two commands may not share a key where their contexts meet (any context meets ``WINDOW``; the
editor and the tree do not meet), nor may one's key start another's chord: ``declare`` refuses
it (``ShortcutClash``).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

WINDOW, EDITOR, TREE = "window", "editor", "tree"
CONTEXT_TEXT = {WINDOW: "Anywhere", EDITOR: "In the editor", TREE: "In the file tree"}


@dataclass(frozen=True)
class Command:
    """One command. ``shortcuts``: key sequences as Qt writes them ("Ctrl+Shift+P", "Ctrl+K, Ctrl+S";
    Ctrl is ⌘ on macOS), the first one shown; ``run`` is called when it is triggered (for ``EDITOR``
    commands: from a menu or the palette, the key itself being the editor's)."""
    id: str
    text: str
    category: str
    run: Callable[[], object]
    shortcuts: tuple[str, ...] = ()
    context: str = WINDOW
    tip: str = ""
    in_palette: bool = True

    @property
    def title(self) -> str:
        """As the palette lists it: "Debug: Step Over"."""
        return f"{self.category}: {self.text}"

    def key_text(self) -> str:
        """The shortcuts as the platform writes them ("Ctrl+Shift+P" or "⇧⌘P"), or ""."""
        return ", ".join(QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in self.shortcuts)


class ShortcutClash(ValueError):
    """Two commands were given the same key where both would be active, or one id twice."""


def sequences_clash(a: QKeySequence, b: QKeySequence) -> bool:
    """Same sequence, or one is the start of the other (Ctrl+K would swallow Ctrl+K, Ctrl+S)."""
    n = min(a.count(), b.count())
    return n > 0 and all(a[i] == b[i] for i in range(n))


def contexts_meet(a: str, b: str) -> bool:
    return a == b or WINDOW in (a, b)


class CommandRegistry(QObject):
    """The window's commands and their QActions (see the module docstring)."""

    command_run = Signal(str)   # command id, after it was triggered

    def __init__(self, window: QWidget, tree: QWidget | None = None):
        super().__init__(window)
        self._window, self._tree = window, tree
        self._commands: dict[str, Command] = {}
        self._actions: dict[str, QAction] = {}

    def declare(self, command: Command, action: QAction | None = None) -> QAction:
        """Add ``command``; its QAction is returned (and kept: ``action(id)``). ``action``: an
        action Qt made that the command adopts (a dock's show/hide toggle, which keeps its check
        mark in step with the dock); triggering it is the command, ``command.run`` is not called."""
        self._refuse_clash(command)
        if action is None:
            action = QAction(command.text, self._window)
            action.triggered.connect(lambda _checked=False, c=command: self._run(c))
        else:
            action.setText(command.text)
            action.triggered.connect(lambda _checked=False, i=command.id: self.command_run.emit(i))
        action.setObjectName(command.id)
        action.setToolTip(_tooltip(command))
        if command.shortcuts:
            action.setShortcuts([QKeySequence(s) for s in command.shortcuts])
        self._attach(action, command.context)
        self._commands[command.id] = command
        self._actions[command.id] = action
        return action

    def _attach(self, action: QAction, context: str) -> None:
        if context == WINDOW:
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self._window.addAction(action)
        elif context == TREE and self._tree is not None:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self._tree.addAction(action)
        else:
            # Shown in menus and the palette; the key is the editor's (a WidgetShortcut of a
            # widget that never has focus: a menu entry, never a second binding).
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)

    def _refuse_clash(self, command: Command) -> None:
        if command.id in self._commands:
            raise ShortcutClash(f"the command {command.id} is declared twice")
        for other in self._commands.values():
            if not contexts_meet(command.context, other.context):
                continue
            for mine in command.shortcuts:
                for theirs in other.shortcuts:
                    if sequences_clash(QKeySequence(mine), QKeySequence(theirs)):
                        raise ShortcutClash(f"{mine} of {command.id} clashes with {theirs} of {other.id}")

    def _run(self, command: Command) -> None:
        command.run()
        self.command_run.emit(command.id)

    # -- reading -------------------------------------------------------------------------------
    def action(self, command_id: str) -> QAction:
        return self._actions[command_id]

    def command(self, command_id: str) -> Command:
        """The command as its menu entry reads now (see ``commands``)."""
        return self._as_shown(self._commands[command_id])

    def commands(self) -> list[Command]:
        """Every command, in the order declared, named as its menu entry reads now: a text that
        follows the state ("Run" becoming "Continue" while paused) reads the same in the palette."""
        return [self._as_shown(command) for command in self._commands.values()]

    def _as_shown(self, command: Command) -> Command:
        text = _without_mnemonic(self._actions[command.id].text())
        return command if text == command.text else replace(command, text=text)

    def is_enabled(self, command_id: str) -> bool:
        return self._actions[command_id].isEnabled()

    def set_enabled(self, command_id: str, enabled: bool) -> None:
        if self._actions[command_id].isEnabled() != enabled:
            self._actions[command_id].setEnabled(enabled)

    def set_text(self, command_id: str, text: str) -> None:
        """A command whose name follows the state (Run becomes Continue while paused)."""
        self._actions[command_id].setText(text)

    def trigger(self, command_id: str) -> bool:
        """Run a command as its menu entry would; False (and nothing runs) when it is disabled."""
        action = self._actions[command_id]
        if not action.isEnabled():
            return False
        action.trigger()
        return True


def _tooltip(command: Command) -> str:
    text = command.tip or command.text.rstrip("…")
    keys = command.key_text()
    return f"{text} ({keys})" if keys else text


def _without_mnemonic(text: str) -> str:
    """A menu text as read: "&Save" is "Save", "Fish && Chips" is "Fish & Chips"."""
    return "&".join(part.replace("&", "") for part in text.split("&&"))
