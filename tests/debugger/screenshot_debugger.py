"""Write docs/debugger.png: the Debugger pane paused mid-chain at a breakpoint, offscreen.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/debugger/screenshot_debugger.py [OUT.png]
It starts a private embedded PostgreSQL under a temporary PLUGIN_STUDIO_HOME.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PLUGIN_STUDIO_HOME"] = tempfile.mkdtemp(prefix="debugger-shot-")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from plugin_studio.db import files, plugins, schema, server  # noqa: E402
from plugin_studio.db.connection import connect  # noqa: E402
from plugin_studio.models.templates import get_template  # noqa: E402
from plugin_studio.services.templates import create_from_template  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

MEMBER = """// Members get 10% off.
export default function memberPrice(price, product, customer) {
  if (!customer || !customer.member) return price;
  console.log(`member ${customer.id}: ${price} -> ${price * 0.9}`);
  return price * 0.9;
}
"""
BULK = """// Buying 3 or more: another 10% off.
export default function bulkPrice(price, product, customer, quantity) {
  return quantity >= 3 ? price * 0.9 : price;
}
"""
FLOOR = """// Never below cost.
export default function floorAtCost(price, product) {
  return Math.max(price, product.cost);
}
"""


def wait_for(signal, timeout_ms: int = 10_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def seed(conn) -> str:
    discounts = plugins.create_plugin(conn, name="Discounts").id
    files.create_hook(conn, discounts, "product.price", "filter", MEMBER, priority=5)
    files.create_hook(conn, discounts, "product.price", "filter", BULK, priority=10)
    files.create_hook(conn, discounts, "product.price", "filter", FLOOR, priority=20)
    files.create_hook(conn, discounts, "order.created", "action", "order => console.log(order.id)")
    files.create_event(conn, discounts, "cart.updated", "cart => ({ items: cart.items.length })")
    create_from_template(conn, get_template("cart-viewer"))
    return discounts


def main(out: Path) -> None:
    from plugin_studio.ui.debugger import DebuggerPane

    app = QApplication.instance() or QApplication(sys.argv)
    dsn = server.start_embedded()
    with connect(dsn) as conn:
        schema.ensure_schema(conn)
        discounts = seed(conn)
    pane = DebuggerPane(dsn)
    pane.resize(1100, 650)
    pane.show()
    pane.set_plugin(discounts)
    wait_for(pane.registrations_loaded)
    pane.inspector.choose("product.price")
    product = {"id": "prod_tea", "name": "Green tea, 100 g", "price": 100, "cost": 60}
    pane.set_scenario("product.price", 100, [product, {"id": "cust_42", "member": True}, 3], mode="filter")
    pane.scenario.scenario_name.setText("member buys 3 teas")
    rows = pane.chain.rows
    pane.set_breakpoint(rows[3].row_id, "value < 80")
    for expression in ("value", "args[0].cost", "value / args[0].price"):
        pane.watch.add_watch(expression)
    pane.run_or_continue()
    wait_for(pane.controller.session_paused)
    app.processEvents()
    pane.chain.select_step(rows[0].row_id)
    app.processEvents()
    pane.grab().save(str(out))
    print(f"wrote {out}: {pane.status.text()}")
    pane.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "debugger.png")
