"""Write docs/widget-preview.png: the preview pane showing the starter widget, offscreen.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/widgets/screenshot_preview.py [OUT.png]
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from plugin_studio.db.records import WidgetRow  # noqa: E402
from plugin_studio.ui.preview.pane import WidgetPreviewPane  # noqa: E402
from plugin_studio.ui.lanes import runner_lane  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
STARTER = ROOT / "plugin_studio/resources/templates/cart-viewer/widgets/cart-visit-counter.jsx"


def wait_for(signal, timeout_ms: int = 10_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def main(out: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    bridge = runner_lane()
    pane = WidgetPreviewPane(bridge)
    pane.resize(960, 520)
    pane.show()
    row = WidgetRow(id="demo", plugin_id="demo", widget_id="cart-visit-counter", widget_name="Cart visit counter",
                    description="Counts how often the cart was viewed in this session.",
                    component_code=STARTER.read_text(encoding="utf-8"),
                    default_config={"title": "Cart Viewer", "accent": "#6d28d9"}, category="cart",
                    icon="shopping-cart", preview_image=None, is_enabled=True)
    pane.show_widget(row)
    wait_for(pane.preview_updated)
    for _ in range(3):
        pane.dispatch_window_event("cart-viewed")
        wait_for(pane.preview_updated)
    pane.tabs.setCurrentIndex(2)  # the actions log
    app.processEvents()
    pane.grab().save(str(out))
    pane.stop()
    bridge.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "widget-preview.png")
