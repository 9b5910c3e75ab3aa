"""The import preview and the export options: dialogs that show a plan and return what the user chose.

Nothing here reads or writes the database; ``package_actions`` runs the jobs around them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QListWidget, QPushButton, QRadioButton, QTableWidget, QTableWidgetItem,
    QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from plugin_studio.db import exact_json
from plugin_studio.db.safe_text import shown
from plugin_studio.models.package import ImportPlan, PlannedItem, Problem
from plugin_studio.ui import theme

KIND_TITLES = {
    "script": "Files", "event": "Event listeners", "hook": "Hooks", "widget": "Widgets",
    "entity": "Entities", "migration": "Migrations (pending)", "controller": "Controllers", "doc": "Docs",
    "admin page": "Admin pages", "admin script": "Admin scripts", "cron job": "Cron jobs",
    "data": "Plugin data", "dependency": "Dependencies",
}
DATA_PREVIEW_CHARS = 200


@dataclass(frozen=True)
class ImportChoices:
    rename_clashing_widgets: bool


@dataclass(frozen=True)
class ExportChoices:
    path: Path
    include_data: bool
    format: str = "studio"     # models.package.FORMATS


class ImportPreviewDialog(QDialog):
    """Everything an import will create, under which name, with the data values and any warnings.

    With ``syntax_pending`` the code is still being parsed: ``show_syntax_report`` adds the ⚠ marks
    when the parse ends; Import can be pressed before that.
    """

    def __init__(self, plan: ImportPlan, syntax_errors: dict[tuple[str, int], str] | None = None,
                 parent: QWidget | None = None, syntax_pending: bool = False):
        super().__init__(parent)
        self.setObjectName("import-preview")
        self.setWindowTitle("Import Plugin")
        self.plan = plan
        self.syntax_errors = dict(syntax_errors or {})
        self.rows: dict[tuple[str, int], QTreeWidgetItem] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self._summary())
        self.syntax_status = QLabel("Checking the code's syntax… (you can import meanwhile)")
        self.syntax_status.setObjectName("syntax-status")
        self.syntax_status.setVisible(syntax_pending)
        layout.addWidget(self.syntax_status)
        self.items = self._item_tree()
        layout.addWidget(self.items, 3)
        self.rename_widgets = QRadioButton()
        if plan.widget_clashes:
            layout.addWidget(self._widget_choice())
        self.data_table = self._data_table()
        if plan.plugin_data:
            layout.addWidget(self._data_box())
        self.warnings = QListWidget()
        self.warnings.setObjectName("import-warnings")
        self.warnings_box = self._warnings_box()
        self.warnings_box.setVisible(self.warnings.count() > 0)
        layout.addWidget(self.warnings_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 640)

    def choices(self) -> ImportChoices:
        return ImportChoices(rename_clashing_widgets=self.rename_widgets.isChecked())

    def show_syntax_report(self, errors: dict[tuple[str, int], str], notes: list[Problem]) -> None:
        """The parse ended: mark the rows with syntax errors and list them with the other warnings."""
        self.syntax_errors.update(errors)
        for (table, index), message in sorted(errors.items()):
            row = self.rows.get((table, index))
            if row is not None:
                row.setText(1, f"⚠ {message}")
            self.warnings.addItem(f"⚠ {self.plan.package.source_path(table, index)}: {message}")
        for note in notes:
            self.warnings.addItem(str(note))
        self.warnings_box.setVisible(self.warnings.count() > 0)
        found = len(errors)
        self.syntax_status.setText(f"Syntax checked: {found} file{'s' if found != 1 else ''} with errors "
                                   "(imported as they are)" if found else "Syntax checked: no errors")

    def _summary(self) -> QLabel:
        plan, meta = self.plan, self.plan.package.meta
        original = plan.package.bundle.plugin["name"]
        lines = [f"Creates the plugin <b>{_html(shown(plan.name))}</b> (slug <code>{_html(shown(plan.slug))}</code>) "
                 f"with {len(plan.items)} rows."]
        if plan.renamed:
            lines.append(f"A plugin named “{_html(original)}” or with the slug "
                         f"<code>{_html(plan.package.bundle.plugin['slug'])}</code> exists already.")
        source = ", ".join(f"{k} {_html(str(meta[k]))}" for k in ("exportedBy", "exportedAt") if meta.get(k))
        lines.append(f"Package format: {plan.package.format}" + (f"; {source}" if source else ""))
        label = QLabel("<br>".join(lines))
        label.setObjectName("import-summary")
        label.setWordWrap(True)
        return label

    def _item_tree(self) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setObjectName("import-items")
        tree.setHeaderLabels(["Will be created", "Note"])
        groups: dict[str, QTreeWidgetItem] = {}
        for item in self.plan.items:
            if item.kind not in groups:
                groups[item.kind] = QTreeWidgetItem(tree, [KIND_TITLES[item.kind], ""])
            row = QTreeWidgetItem([shown(item.path), self._note(item)])
            self.rows[(item.table, item.index)] = row
            groups[item.kind].addChild(row)
        for kind, group in groups.items():
            group.setText(0, f"{KIND_TITLES[kind]} ({group.childCount()})")
            group.setExpanded(group.childCount() <= 50)
        tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return tree

    def _note(self, item: PlannedItem) -> str:
        error = self.syntax_errors.get((item.table, item.index))
        if error:
            return f"⚠ {error}"
        row = self.plan.package.bundle.rows[item.table][item.index]
        if item.kind == "widget" and row["widget_id"] in self.plan.widget_clashes:
            return "widget id used by " + ", ".join(self.plan.widget_clashes[row["widget_id"]])
        if row.get("is_enabled") is False:
            return "disabled"
        return ""

    def _widget_choice(self) -> QGroupBox:
        box = QGroupBox("Widget ids already used by other plugins")
        box.setObjectName("widget-clashes")
        clashes = "".join(f"<li><code>{_html(w)}</code>: {_html(', '.join(p))}</li>"
                          for w, p in sorted(self.plan.widget_clashes.items()))
        keep = QRadioButton("Keep the ids (page slots that name them keep this widget; the ids are then shared)")
        keep.setChecked(True)
        renames = ", ".join(f"{a} → {b}" for a, b in sorted(self.plan.widget_renames.items()))
        self.rename_widgets.setText(f"Rename them ({renames})")
        group = QButtonGroup(box)
        group.addButton(keep)
        group.addButton(self.rename_widgets)
        self.keep_widgets = keep
        layout = QVBoxLayout(box)
        layout.addWidget(QLabel(f"<ul>{clashes}</ul>"))
        layout.addWidget(keep)
        layout.addWidget(self.rename_widgets)
        return box

    def _data_table(self) -> QTableWidget:
        data = self.plan.plugin_data
        table = QTableWidget(len(data), 2)
        table.setObjectName("import-data")
        table.setHorizontalHeaderLabels(["Key", "Value"])
        for row, key in enumerate(sorted(data)):
            text = exact_json.dumps(data[key], sort_keys=True, compact=False)
            preview = text if len(text) <= DATA_PREVIEW_CHARS else text[:DATA_PREVIEW_CHARS] + "…"
            for column, value in enumerate((shown(key), preview)):
                cell = QTableWidgetItem(value)
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                table.setItem(row, column, cell)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        return table

    def _data_box(self) -> QGroupBox:
        box = QGroupBox("Plugin data (imported as is; values may hold secrets such as API keys)")
        layout = QVBoxLayout(box)
        layout.addWidget(self.data_table)
        return box

    def _warnings_box(self) -> QGroupBox:
        box = QGroupBox("Warnings (the import goes ahead)")
        for (table, index), message in sorted(self.syntax_errors.items()):
            self.warnings.addItem(f"⚠ {self.plan.package.source_path(table, index)}: {message}")
        for warning in self.plan.warnings:
            self.warnings.addItem(str(warning))
        layout = QVBoxLayout(box)
        layout.addWidget(self.warnings)
        return box


class ExportDialog(QDialog):
    """Where to write the package, and whether pluginData goes in it."""

    def __init__(self, plugin_name: str, default_path: Path, data_keys: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("export-options")
        self.setWindowTitle("Export Plugin")
        self.path = QLineEdit(str(default_path))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.include_data = QCheckBox(f"Include plugin data ({data_keys} keys; values may hold secrets)")
        self.include_data.setChecked(True)
        self.include_data.setEnabled(data_keys > 0)
        self.format = QComboBox()
        self.format.addItem("Plugin Studio (the platform's format plus what it loses)", "studio")
        self.format.addItem("Platform (exactly what the platform's export writes)", "platform")
        self.format.setToolTip("Both import on the platform; the platform's format leaves out down SQL, "
                               "checksums, enabled flags, controller auth and schemas, cron handlers…")
        self.error = QLabel()
        theme.style(self.error, "color: {error};")
        form = QFormLayout(self)
        form.addRow("Plugin", QLabel(shown(plugin_name)))
        form.addRow("Save as", row)
        form.addRow("Format", self.format)
        form.addRow("", self.include_data)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(560, 160)

    def choices(self) -> ExportChoices:
        return ExportChoices(Path(self.path.text().strip()).expanduser(), self.include_data.isChecked(),
                             self.format.currentData())

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(self, "Export Plugin", self.path.text(),
                                                      "Plugin packages (*.json);;All files (*)")
        if chosen:
            self.path.setText(chosen)

    def _accept_if_valid(self) -> None:
        text = self.path.text().strip()
        folder = Path(text).expanduser().parent
        if not text or Path(text).expanduser().is_dir():
            self.error.setText("Choose a file name for the package.")
        elif not folder.is_dir():
            self.error.setText(f"The folder {folder} does not exist.")
        else:
            self.accept()


def problems_text(problems: list[Problem], limit: int = 12) -> str:
    """The first problems, one per line, and how many more there are."""
    lines = [f"• {p}" for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"… and {len(problems) - limit} more (see Show Details)")
    return "\n".join(lines)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
