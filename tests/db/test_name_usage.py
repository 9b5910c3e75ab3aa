"""Hook and event names in the database: handler rows' own names and names passed in code."""
from __future__ import annotations

from plugin_studio.db import files, name_usage


def test_names_come_from_rows_and_from_calls_in_code(conn, cart_viewer):
    files.create_script(conn, cart_viewer, "utils/notify.js",
                        "export function go(items) {\n  hookSystem.apply('cart.myFilter', items);\n"
                        "  eventSystem.emit(\"my.thing\", 1);\n  eventSystem.on(`other.one`, () => {});\n}\n")
    found = {(o.name, o.kind, o.registered) for o in name_usage.name_occurrences(conn)}
    assert ("product.price", "hook", True) in found        # the starter's hook row
    assert ("cart.viewed", "event", True) in found         # its event row
    assert {("cart.myFilter", "hook", False), ("my.thing", "event", False), ("other.one", "event", False)} <= found
