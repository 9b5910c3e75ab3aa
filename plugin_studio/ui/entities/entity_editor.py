"""The schema editor beside an entity's JSON file: its columns and indexes as grids, checked as they
change, and Generate migration.

The JSON text in the editor is the document; the grids are another view of it. An edit in a grid
rewrites the text (one undo step in the editor), an edit in the text refills the grids when it
parses. Column keys the grid does not show (``comment``) and ``foreignKeys`` are kept as written.
Defaults: a number or ``true``/``false`` typed in the Default cell is a JSON literal (``0`` and
``0.00`` kept as typed), anything else an SQL expression (``now()``, ``'pending'``).

Generate migration works on the saved entity (the button asks for a save first): the pending
migration goes to the plugin's migrations (``services.entities.generate_migration``).
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QListWidget, QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem,
    QTabWidget, QVBoxLayout, QWidget,
)

from plugin_studio.db.records import EntityRow
from plugin_studio.models.entity_schema import (
    EntityDocument, EntityError, Problem, dumps, parse_document, read_document, render_document,
)
from plugin_studio.services.entities import EntityMigration, generate_migration
from plugin_studio.ui.part_layout import attach_beside

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
COLUMN_HEADERS = ("Name", "Type", "Primary key", "Nullable", "Default", "Unique")
INDEX_HEADERS = ("Name", "Columns", "Unique", "Order")
CHECKS = {"Primary key": "primaryKey", "Nullable": "nullable", "Unique": "unique"}
MONO = QFont("monospace")
MONO.setStyleHint(QFont.StyleHint.Monospace)


def default_from_cell(text: str) -> Any:
    """What a Default cell means in the schema: a JSON number/boolean literal, else SQL text; None: no default."""
    text = text.strip()
    if not text:
        return None
    if NUMBER.match(text):
        return Decimal(text) if "." in text else int(text)
    if text in ("true", "false"):
        return text == "true"
    return text


def default_to_cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else dumps(value)


class EntityEditorPane(QWidget):
    """``EntityEditorPane(db, row)``; ``set_text(text)`` follows the editor; ``text_edited(text)`` asks the
    editor to take the grids' version; ``migration_generated`` carries the ``EntityMigration``."""

    text_edited = Signal(str)
    migration_generated = Signal(object)

    def __init__(self, db, row: EntityRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("entity-editor")
        self.db, self.row = db, row
        self.document: EntityDocument | None = None
        self.problems: list[Problem] = []
        self._filling = False
        self.is_dirty = lambda: False   # set by ``attach``: whether the editor has unsaved edits
        self._build()

    def stop(self) -> None:
        """The window is closing: nothing runs on after it (answers still on their way are dropped)."""
        self.setEnabled(False)

    def _build(self) -> None:
        self.title = QLabel()
        self.title.setObjectName("entity-title")
        self.status = QLabel()
        self.status.setObjectName("entity-status")
        self.columns = self._grid(COLUMN_HEADERS)
        self.indexes = self._grid(INDEX_HEADERS)
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("entity-problems")
        self.verdict = QLabel()
        self.verdict.setObjectName("entity-verdict")
        self.generate_button = QPushButton("Generate migration")
        self.generate_button.clicked.connect(self.generate)
        self.sql = QPlainTextEdit(readOnly=True)
        self.sql.setFont(MONO)
        self.sql.setPlaceholderText("The generated migration's UP and DOWN SQL show here.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addLayout(self._grid_header("Columns", self.add_column, self.remove_column))
        layout.addWidget(self.columns, 3)
        line = QHBoxLayout()
        line.addWidget(self.verdict, 1)
        line.addWidget(self.generate_button)
        layout.addLayout(line)
        layout.addWidget(self._lower_tabs(), 2)

    def _lower_tabs(self) -> QTabWidget:
        """Indexes, problems and the generated SQL share the room under the columns."""
        indexes = QWidget()
        box = QVBoxLayout(indexes)
        box.setContentsMargins(0, 4, 0, 0)
        box.addLayout(self._grid_header("Indexes", self.add_index, self.remove_index))
        box.addWidget(self.indexes)
        self.lower_tabs = QTabWidget()
        self.lower_tabs.addTab(indexes, "Indexes")
        self.lower_tabs.addTab(self.problem_list, "Problems")
        self.lower_tabs.addTab(self.sql, "Migration SQL")
        return self.lower_tabs

    def _grid(self, headers: tuple[str, ...]) -> QTableWidget:
        grid = QTableWidget(0, len(headers))
        grid.setHorizontalHeaderLabels(list(headers))
        grid.verticalHeader().hide()
        grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        grid.horizontalHeader().setStretchLastSection(True)
        grid.itemChanged.connect(self._grid_edited)
        for c, header in enumerate(headers):
            grid.setColumnWidth(c, 78 if header in CHECKS or header == "Order" else 120)
        return grid

    def _grid_header(self, title: str, add, remove) -> QHBoxLayout:
        line = QHBoxLayout()
        line.addWidget(QLabel(f"<b>{title}</b>"))
        line.addStretch(1)
        for text, slot in (("+", add), ("−", remove)):
            button = QPushButton(text)
            button.setFixedWidth(32)
            button.setToolTip(f"{'Add' if text == '+' else 'Remove the selected'} {title.lower()[:-1]}")
            button.clicked.connect(slot)
            line.addWidget(button)
        return line

    # -- from the text -----------------------------------------------------------------------------
    def set_text(self, text: str) -> None:
        """Refill the grids from the editor's text; a text that does not parse leaves them and says why."""
        try:
            doc = parse_document(text)
        except EntityError as exc:
            where = f"line {exc.line}: " if exc.line else ""
            self._show_problems([Problem("file", f"{where}{exc}")])
            self.generate_button.setEnabled(False)
            return
        self.document = doc
        self._fill(doc)
        self._check()

    def set_row(self, row: EntityRow) -> None:
        self.row = row
        self._show_status()

    def _fill(self, doc: EntityDocument) -> None:
        self._filling = True
        columns = [c for c in doc.schema.get("columns") or [] if isinstance(c, dict)]
        self.columns.setRowCount(len(columns))
        for r, column in enumerate(columns):
            self._set_cell(self.columns, r, 0, str(column.get("name", "")), data=column)
            self._set_cell(self.columns, r, 1, str(column.get("type", "")))
            self._set_check(self.columns, r, 2, bool(column.get("primaryKey")))
            key = bool(column.get("primaryKey"))
            self._set_check(self.columns, r, 3, column.get("nullable") is not False and not key, editable=not key)
            self._set_cell(self.columns, r, 4, default_to_cell(column.get("default")))
            self._set_check(self.columns, r, 5, bool(column.get("unique")))
        indexes = [i for i in doc.schema.get("indexes") or [] if isinstance(i, dict)]
        self.indexes.setRowCount(len(indexes))
        for r, index in enumerate(indexes):
            self._set_cell(self.indexes, r, 0, str(index.get("name", "")), data=index)
            listed = index.get("columns")
            self._set_cell(self.indexes, r, 1, ", ".join(map(str, listed)) if isinstance(listed, list) else "")
            self._set_check(self.indexes, r, 2, bool(index.get("unique")))
            self._set_cell(self.indexes, r, 3, str(index.get("order") or ""))
        self._filling = False
        self.title.setText(f"<b>{doc.entity_name}</b> → table <code>{doc.table_name}</code>")
        self._show_status()

    @staticmethod
    def _set_cell(grid: QTableWidget, r: int, c: int, text: str, data: Any = None) -> None:
        item = QTableWidgetItem(text)
        if data is not None:
            item.setData(Qt.ItemDataRole.UserRole, data)
        grid.setItem(r, c, item)

    @staticmethod
    def _set_check(grid: QTableWidget, r: int, c: int, on: bool, editable: bool = True) -> None:
        """``editable`` False: shown only (a primary key is never nullable, whatever the schema says)."""
        item = QTableWidgetItem()
        flags = Qt.ItemFlag.ItemIsSelectable | (Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                                                if editable else Qt.ItemFlag.NoItemFlags)
        item.setFlags(flags)
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        grid.setItem(r, c, item)

    # -- to the text -------------------------------------------------------------------------------
    def _grid_edited(self, _item: QTableWidgetItem) -> None:
        if self._filling or self.document is None:
            return
        self.document.schema = self.schema_from_grids()
        self._check()
        self.text_edited.emit(render_document(self.document))

    def schema_from_grids(self) -> dict[str, Any]:
        schema = dict(self.document.schema) if self.document else {}
        schema["columns"] = [self._column_at(r) for r in range(self.columns.rowCount())]
        indexes = [self._index_at(r) for r in range(self.indexes.rowCount())]
        if indexes or "indexes" in schema:
            schema["indexes"] = indexes
        return schema

    def _text(self, grid: QTableWidget, r: int, c: int) -> str:
        item = grid.item(r, c)
        return item.text().strip() if item else ""

    def _checked(self, grid: QTableWidget, r: int, c: int) -> bool:
        item = grid.item(r, c)
        return item is not None and item.checkState() == Qt.CheckState.Checked

    def _column_at(self, r: int) -> dict[str, Any]:
        first = self.columns.item(r, 0)
        column = dict((first.data(Qt.ItemDataRole.UserRole) if first else None) or {})
        column.update(name=self._text(self.columns, r, 0), type=self._text(self.columns, r, 1))
        for c, header in ((2, "Primary key"), (3, "Nullable"), (5, "Unique")):
            key, on = CHECKS[header], self._checked(self.columns, r, c)
            if key == "nullable" and column.get("primaryKey"):
                continue  # shown unchecked, not edited: the schema keeps what it says
            if key == "nullable":
                column[key] = on
            elif on:
                column[key] = True
            else:
                column.pop(key, None)
        default = default_from_cell(self._text(self.columns, r, 4))
        if default is None:
            column.pop("default", None)
        else:
            column["default"] = default
        return column

    def _index_at(self, r: int) -> dict[str, Any]:
        first = self.indexes.item(r, 0)
        index = dict((first.data(Qt.ItemDataRole.UserRole) if first else None) or {})
        index.update(name=self._text(self.indexes, r, 0),
                     columns=[c.strip() for c in self._text(self.indexes, r, 1).split(",") if c.strip()])
        if self._checked(self.indexes, r, 2):
            index["unique"] = True
        else:
            index.pop("unique", None)
        order = self._text(self.indexes, r, 3).upper()
        if order:
            index["order"] = order
        else:
            index.pop("order", None)
        return index

    def add_column(self) -> None:
        if self.document is None:
            return
        taken = {c.get("name") for c in self.document.schema.get("columns") or [] if isinstance(c, dict)}
        n = 1
        while f"column_{n}" in taken:
            n += 1
        self._append(self.columns, [f"column_{n}", "VARCHAR(255)", False, True, "", False])

    def add_index(self) -> None:
        if self.document is not None:
            self._append(self.indexes, [f"idx_{self.document.table_name}_{self.indexes.rowCount() + 1}", "", False, ""])

    def _append(self, grid: QTableWidget, values: list) -> None:
        self._filling = True
        r = grid.rowCount()
        grid.insertRow(r)
        for c, value in enumerate(values):
            if isinstance(value, bool):
                self._set_check(grid, r, c, value)
            else:
                self._set_cell(grid, r, c, value)
        self._filling = False
        self._grid_edited(grid.item(r, 0))
        grid.setCurrentCell(r, 0)

    def remove_column(self) -> None:
        self._remove(self.columns)

    def remove_index(self) -> None:
        self._remove(self.indexes)

    def _remove(self, grid: QTableWidget) -> None:
        r = grid.currentRow()
        if r >= 0:
            grid.removeRow(r)
            self._grid_edited(QTableWidgetItem())

    # -- checks, status, generating ------------------------------------------------------------------
    def _check(self) -> None:
        _spec, problems = read_document(self.document)
        self._show_problems(problems)
        self.generate_button.setEnabled(not any(p.severity == "error" for p in problems))

    def _show_problems(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.problem_list.clear()
        for p in problems:
            self.problem_list.addItem(f"{'⚠' if p.severity == 'warning' else '✖'} {p.where}: {p.message}")
        if not problems:
            self.problem_list.addItem("✓ The schema is valid")
        bad = sum(p.severity == "error" for p in problems)
        warned = len(problems) - bad
        if bad:
            self.verdict.setText(f"<b style='color:#b91c1c'>✖ {bad} problem{'s' * (bad > 1)}</b> (see Problems)")
        elif warned:
            self.verdict.setText(f"<b style='color:#b45309'>⚠ {warned} warning{'s' * (warned > 1)}</b> (see Problems)")
        else:
            self.verdict.setText("<span style='color:#15803d'>✓ The schema is valid</span>")
        self.lower_tabs.setTabText(1, f"Problems ({len(problems)})")

    def _show_status(self) -> None:
        row = self.row
        version = f" · migration {row.migration_version}" if row.migration_version else ""
        when = f" · migrated {row.migrated_at:%Y-%m-%d %H:%M}" if row.migrated_at else ""
        self.status.setText(f"Migration status: <b>{row.migration_status or 'pending'}</b>{version}{when}")

    def generate(self) -> None:
        if self.is_dirty():
            self.sql.setPlainText("Save the entity first (Ctrl+S): the migration is generated from the saved entity.")
            self.lower_tabs.setCurrentWidget(self.sql)
            return
        if self.db.submit_write(generate_migration, self.row.id, action=f"record a migration for {self.row.entity_name}",
                                on_done=self._generated, on_error=self._failed) is not None:
            self.generate_button.setEnabled(False)

    def _generated(self, made: EntityMigration) -> None:
        self.generate_button.setEnabled(True)
        m = made.migration
        warnings = "".join(f"-- ⚠ {w}\n" for w in m.warnings)
        self.lower_tabs.setCurrentWidget(self.sql)
        self.sql.setPlainText(f"-- {m.name} · version {made.version} · pending (run it in the Migrations panel)\n"
                              f"{warnings}\n-- UP\n{m.up_sql}\n-- DOWN\n{m.down_sql}")
        self.row.migration_version, self.row.migration_status = made.version, "pending"
        self._show_status()
        self.migration_generated.emit(made)

    def _failed(self, error: Exception) -> None:
        self.generate_button.setEnabled(True)
        self.sql.setPlainText(f"No migration generated: {error}")
        self.lower_tabs.setCurrentWidget(self.sql)


def attach(tab, db, row: EntityRow) -> EntityEditorPane:
    pane = EntityEditorPane(db, row)
    tab.preview = pane
    pane.is_dirty = tab.is_dirty
    attach_beside(tab, pane)
    pane.set_text(tab.text())
    pane.set_row(row)

    def from_grid(text: str) -> None:
        if text != tab.text():
            tab.editor.replace_text_keeping_undo(text)

    pane.text_edited.connect(from_grid)
    tab.editor.modified.connect(lambda *_a: pane.set_text(tab.text()))
    return pane
