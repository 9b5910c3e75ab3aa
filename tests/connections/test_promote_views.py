"""Compare and Promote… and Compare Across Group… as a user works them, on stores of the embedded server."""
from __future__ import annotations

import psycopg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from plugin_studio.db import files
from plugin_studio.models.connections import ConnectionGroup, SavedConnection
from plugin_studio.models.templates import get_template
from plugin_studio.services import promote as service
from plugin_studio.services.templates import create_from_template
from plugin_studio.ui.promote.dialog import PromoteDialog
from plugin_studio.ui.promote.matrix import GroupCompareDialog

from qt_dialogs import answer_dialog

SCRIPT = "utils/format_price.js"


@pytest.fixture
def stores(databases, save_connections):
    """A (Cart Viewer, changed since) and B (the plugin as first promoted), saved as "A" and "Live"."""
    a, b, c = databases(3)
    conn_a, conn_b = psycopg.connect(a, autocommit=True), psycopg.connect(b, autocommit=True)
    plugin = create_from_template(conn_a, get_template("cart-viewer"))
    service.promote(conn_b, service.compare_plugins(conn_a, conn_b, plugin))
    conn_a.execute("UPDATE plugin_scripts SET file_content = file_content || '// v2' WHERE file_name = %s", (SCRIPT,))
    files.create_hook(conn_a, plugin, "cart.total", "filter", "export default (t) => t;\n")
    save_connections(SavedConnection("A", dsn=a), SavedConnection("Live", dsn=b, production=True),
                     SavedConnection("Empty", dsn=c), groups=[ConnectionGroup("all", ("A", "Live", "Empty")), ConnectionGroup("pair", ("A", "Live"))])
    yield a, conn_a, conn_b, plugin
    conn_a.close()
    conn_b.close()


def _rows(dialog) -> dict[str, tuple[str, Qt.CheckState]]:
    found = {}
    for i in range(dialog.tree.topLevelItemCount()):
        group = dialog.tree.topLevelItem(i)
        for j in range(group.childCount()):
            item = group.child(j)
            found[f"{group.text(0)} {item.text(0)}"] = (item.text(1), item.checkState(0))
    return found


def _compare(qtbot, dialog, target: str) -> None:
    dialog.target.setCurrentText(target)
    dialog.findChild(QPushButton, "compare").click()
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.plan.target_label == target
                    and dialog.buttons["compare"].isEnabled())


def test_compare_shows_the_rows_that_differ_and_promotes_the_checked_ones(qtbot, stores):
    a, conn_a, conn_b, plugin = stores
    dialog = PromoteDialog(None, plugin, "Cart Viewer", a, "A")
    qtbot.addWidget(dialog)
    dialog.show()
    assert [dialog.target.itemText(i) for i in range(dialog.target.count())] == ["Embedded", "Live", "Empty"]
    _compare(qtbot, dialog, "Live")
    assert _rows(dialog) == {f"plugin_scripts {SCRIPT}": ("changed", Qt.CheckState.Checked),
                             "plugin_hooks cart.total filter": ("added", Qt.CheckState.Checked)}
    assert dialog.status.text().startswith("1 added, 1 changed, 0 removed")
    script = dialog.tree.topLevelItem(0).child(0)
    dialog.tree.setCurrentItem(script)
    assert dialog.diff.new_side.toPlainText().endswith("// v2")
    assert not dialog.diff.old_side.toPlainText().endswith("// v2")
    dialog.tree.topLevelItem(1).child(0).setCheckState(0, Qt.CheckState.Unchecked)   # not the new hook
    assert dialog.buttons["promote"].text() == "Promote 1 Row(s)"

    asked = answer_dialog(qtbot, lambda box: [b for b in box.buttons() if b.text() == "Allow Writing"][0].click(),
                          "production-write-confirm")
    dialog.buttons["promote"].click()
    asked.wait(qtbot)
    assert "“Live” is a production database" in asked.text
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Promoted: 0 added, 1 changed, 0 removed"))
    assert "Migrations pending on Live: 1.0.0 create_cart_views" in dialog.status.text()
    assert _rows(dialog) == {"plugin_hooks cart.total filter": ("added", Qt.CheckState.Checked)}
    assert conn_b.execute("SELECT file_content FROM plugin_scripts WHERE file_name = %s", (SCRIPT,)).fetchone()[0] \
        .endswith("// v2")

    dialog.buttons["run-pending"].click()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Pending migrations run on Live"))
    assert conn_b.execute("SELECT status FROM plugin_migrations").fetchone()[0] == "completed"


def test_a_store_without_the_plugin_gets_it_created(qtbot, stores):
    a, _conn_a, _conn_b, plugin = stores
    dialog = PromoteDialog(None, plugin, "Cart Viewer", a, "A")
    qtbot.addWidget(dialog)
    dialog.show()
    _compare(qtbot, dialog, "Empty")
    assert "is not on Empty: promote creates it with every row" in dialog.status.text()
    dialog.buttons["promote"].click()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Promoted:"))
    assert "0 added, 0 changed, 0 removed, " in dialog.status.text()     # compared again: now equal


def test_compare_across_the_group_shows_the_version_matrix(qtbot, stores):
    dialog = GroupCompareDialog(None, "cart-viewer", "Cart Viewer")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.compare()
    qtbot.waitUntil(lambda: dialog.matrix is not None)
    rows = {dialog.table.item(r, 1).text(): [dialog.cell_text(r, s) for s in range(3)]
            for r in range(dialog.table.rowCount())}
    assert rows[SCRIPT] == ["v1", "v2", "—"] and rows["cart.total filter"] == ["v1", "—", "—"]
    assert dialog.table.horizontalHeaderItem(4).text() == "Empty\nplugin not in this store"
    dialog.only_differing.setChecked(False)
    assert dialog.table.rowCount() == len(dialog.matrix.rows) == len(rows)   # Empty lacks every row

    dialog.group.setCurrentText("pair")
    dialog.only_differing.setChecked(True)
    dialog.compare()
    qtbot.waitUntil(lambda: dialog.matrix is not None and len(dialog.matrix.stores) == 2)
    shown = {dialog.table.item(r, 1).text(): [dialog.cell_text(r, s) for s in range(2)]
             for r in range(dialog.table.rowCount())}
    assert shown == {SCRIPT: ["v1", "v2"], "cart.total filter": ["v1", "—"]}
