"""Write the preview's screenshots, offscreen: docs/widget-preview-1280x800.png and
docs/widget-preview-1920x1080.png (a JSX product grid on React: grid tracks, box shadows, line
height, a wrapping row of chips, what the storefront would do instead, what Qt can't draw), and
docs/widget-preview.png (the starter widget after three cart-viewed events, with its actions).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/widgets/screenshot_preview.py [OUT_FOLDER]
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton  # noqa: E402

from plugin_studio.db.records import WidgetRow  # noqa: E402
from plugin_studio.ui.preview.pane import WidgetPreviewPane  # noqa: E402
from plugin_studio.ui.lanes import Lane, runner_lane  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
STARTER = ROOT / "plugin_studio/resources/templates/cart-viewer/widgets/cart-visit-counter.jsx"

PRODUCT_GRID = """export default function ProductGrid({ config }) {
  const products = [
    { sku: 'TEA-100', name: 'Green tea, 100 g', price: 12.5, note: 'Sencha from Shizuoka, first flush.' },
    { sku: 'MUG-01', name: 'Stoneware mug', price: 32.5, note: 'Hand-thrown, 350 ml, dishwasher safe.' },
    { sku: 'POT-02', name: 'Cast-iron teapot', price: 79, note: 'Enamelled inside, 0.8 l.' },
    { sku: 'WHISK', name: 'Bamboo whisk', price: 18, note: 'Eighty prongs, for matcha.' },
    { sku: 'CADDY', name: 'Tea caddy', price: 24, note: 'Airtight tin, 200 g.' },
    { sku: 'CUPS', name: 'Tasting cups (4)', price: 29, note: 'Porcelain, 60 ml each.' },
  ];
  const [query, setQuery] = React.useState('');
  const [cart, setCart] = React.useState(['TEA-100']);
  const shown = products.filter(p => p.name.toLowerCase().includes(query.toLowerCase()));
  return (
    <section style={{ padding: 16, background: '#f8fafc', borderRadius: 12 }}>
      <h2 style={{ margin: '0 0 4px', color: '#0f172a' }}>{config.title}</h2>
      <p style={{ margin: '0 0 12px', color: '#475569', lineHeight: 1.6 }}>
        {shown.length} of {products.length} products · {cart.length} in the basket
      </p>
      <input value={query} onChange={e => setQuery(e.target.value)} placeholder="Filter products"
             style={{ width: 240, padding: '6px 10px', marginBottom: 12 }} />
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(2, 1fr)', gap: 14 }}>
        {shown.map(p => (
          <div key={p.sku} style={{ background: '#ffffff', borderRadius: 10, padding: 14,
                                    boxShadow: '0 4px 12px rgba(15, 23, 42, 0.18)' }}>
            <strong style={{ color: '#0f172a' }}>{p.name}</strong>
            <p style={{ margin: '6px 0', color: '#64748b', fontSize: 13, lineHeight: 1.5 }}>{p.note}</p>
            <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
              <span style={{ fontWeight: 700, color: '#7c3aed' }}>${p.price.toFixed(2)}</span>
              <button onClick={() => setCart(cart.concat([p.sku]))}>Add</button>
            </div>
          </div>
        ))}
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, marginTop: 14 }}>
        {cart.map((sku, i) => (
          <span key={i} style={{ display: 'inline-block', padding: '3px 10px', borderRadius: 12,
                                 background: '#ede9fe', color: '#5b21b6', fontSize: 12 }}>{sku}</span>
        ))}
      </div>
      <span style={{ position: 'absolute', top: 8, right: 8, transform: 'rotate(8deg)' }}>Sale</span>
    </section>
  );
}"""


def wait_for(signal, timeout_ms: int = 20_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def settle(app: QApplication, ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def row(widget_id: str, code: str, config: dict) -> WidgetRow:
    return WidgetRow(id=widget_id, plugin_id="demo", widget_id=widget_id, widget_name=widget_id, description=None,
                     component_code=code, default_config=config, category="cart", icon="shopping-cart",
                     preview_image=None, is_enabled=True)


def product_grid(app: QApplication, bridge: Lane, size: tuple[int, int], viewport: int, out: Path) -> None:
    pane = WidgetPreviewPane(bridge)
    pane.resize(*size)
    pane.show()
    pane.viewport_buttons.button(viewport).click()
    pane.show_widget(row("product-grid", PRODUCT_GRID, {"title": "Tea shop favourites"}))
    wait_for(pane.preview_updated)
    for sku_button in (2, 4):
        button = [b for b in pane.canvas.findChildren(QPushButton) if b.text() == "Add"][sku_button]
        button.click()
        wait_for(pane.preview_updated)
    field = pane.canvas.findChildren(QLineEdit)[0]
    field.setFocus()
    pane.tabs.setCurrentIndex(2)
    settle(app)
    pane.grab().save(str(out))
    pane.stop()
    print(f"wrote {out}")


def starter(app: QApplication, bridge: Lane, out: Path) -> None:
    pane = WidgetPreviewPane(bridge)
    pane.resize(960, 520)
    pane.show()
    pane.show_widget(row("cart-visit-counter", STARTER.read_text(encoding="utf-8"),
                         {"title": "Cart Viewer", "accent": "#6d28d9"}))
    wait_for(pane.preview_updated)
    for _ in range(3):
        pane.dispatch_window_event("cart-viewed")
        wait_for(pane.preview_updated)
    pane.tabs.setCurrentIndex(2)  # the actions log
    settle(app)
    pane.grab().save(str(out))
    pane.stop()
    print(f"wrote {out}")


def main(folder: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    bridge = runner_lane()
    product_grid(app, bridge, (1280, 800), 375, folder / "widget-preview-1280x800.png")
    product_grid(app, bridge, (1920, 1080), 768, folder / "widget-preview-1920x1080.png")
    starter(app, bridge, folder / "widget-preview.png")
    bridge.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
