"""The preview pane with a real worker process (runner lane → JsHost → dukpy) and real widgets."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from plugin_studio.db.files import load_plugin_files
from plugin_studio.db.records import WidgetRow
from plugin_studio.ui.preview.pane import WidgetPreviewPane
from plugin_studio.runner.limits import Limits
from plugin_studio.ui.lanes import runner_lane

COUNTER = """function Counter({ config }) {
  const [n, setN] = React.useState(0);
  return React.createElement('div', { style: { display: 'flex', gap: 8 } },
    React.createElement('button', { onClick: () => setN(n + 1) }, 'Add'),
    React.createElement('span', null, 'Clicked ' + n + ' times'));
}"""


def widget_row(code: str, config=None, widget_id: str = "w") -> WidgetRow:
    return WidgetRow(id="local", plugin_id="p", widget_id=widget_id, widget_name=widget_id, description=None,
                     component_code=code, default_config=config or {}, category=None, icon=None,
                     preview_image=None, is_enabled=True)


def visible_texts(pane: WidgetPreviewPane) -> list[str]:
    """What the user reads in the preview, widget by widget, in creation order."""
    out = []
    for widget in pane.canvas.findChildren(QWidget):
        if not isinstance(widget, (QLabel, QPushButton, QLineEdit)) or not widget.isVisibleTo(pane.canvas):
            continue
        text = widget.text()
        text = re.sub(r"<[^>]+>", "", text).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        if text:
            out.append(f"{type(widget).__name__}:{text}")
    return out


def shows(pane: WidgetPreviewPane, fragment: str) -> bool:
    return any(fragment in t for t in visible_texts(pane))


@pytest.fixture
def bridge(request):
    # The test run's settings give plugin code a roomy time limit; a test of the limit gets the default.
    runner = runner_lane(Limits() if request.node.get_closest_marker("time_limit") else None)
    yield runner
    runner.cancel_all()
    runner.close()


@pytest.fixture
def pane(qtbot, bridge):
    view = WidgetPreviewPane(bridge)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    yield view
    view.stop()


def show(qtbot, pane, row: WidgetRow) -> None:
    with qtbot.waitSignal(pane.preview_updated):
        pane.show_widget(row)


def test_clicking_a_button_updates_the_label(qtbot, pane):
    show(qtbot, pane, widget_row(COUNTER))
    assert shows(pane, "Clicked 0 times")
    button = next(b for b in pane.canvas.findChildren(QPushButton) if b.text() == "Add")
    qtbot.mouseClick(button, Qt.LeftButton)
    qtbot.waitUntil(lambda: shows(pane, "Clicked 1 times"))
    qtbot.mouseClick(next(b for b in pane.canvas.findChildren(QPushButton) if b.text() == "Add"), Qt.LeftButton)
    qtbot.waitUntil(lambda: shows(pane, "Clicked 2 times"))
    assert "onClick on <button>" in pane.actions.toPlainText()


def test_jsx_widget_looks_like_its_create_element_twin(qtbot, bridge):
    jsx = """export default function Card({ config }) {
  return (
    <section style={{ padding: 12, border: '1px solid #ddd' }}>
      <h3>{config.title}</h3>
      <p>Items: <strong>{2}</strong></p>
      <button onClick={() => {}}>Open</button>
    </section>
  );
}"""
    twin = """function Card({ config }) {
  return React.createElement('section', { style: { padding: 12, border: '1px solid #ddd' } },
    React.createElement('h3', null, config.title),
    React.createElement('p', null, 'Items: ', React.createElement('strong', null, 2)),
    React.createElement('button', { onClick: () => {} }, 'Open'));
}"""
    panes = []
    for code in (jsx, twin):
        view = WidgetPreviewPane(bridge)
        qtbot.addWidget(view)
        view.resize(700, 500)
        view.show()
        show(qtbot, view, widget_row(code, {"title": "Hello"}))
        panes.append(view)
    assert visible_texts(panes[0]) == visible_texts(panes[1])
    assert "NodeLabel:Items: 2" in visible_texts(panes[0])
    assert panes[0].canvas.grab().toImage() == panes[1].canvas.grab().toImage()
    for view in panes:
        view.stop()


def test_a_throwing_component_shows_the_overlay_and_recovers(qtbot, pane):
    show(qtbot, pane, widget_row(COUNTER))
    broken = COUNTER.replace("'Clicked ' + n + ' times'", "config.missing.deep")
    pane.set_code(broken)
    qtbot.waitUntil(lambda: pane.overlay.isVisible())
    assert "deep" in pane.overlay.message.text()
    assert pane.overlay.line == 5
    assert shows(pane, "Clicked 0 times"), "the last good render stays visible"
    with qtbot.waitSignal(pane.error_line_clicked) as clicked:
        pane.overlay.message.linkActivated.emit(f"line:{pane.overlay.line}")
    assert clicked.args == [5]
    pane.set_code(COUNTER.replace("'Clicked '", "'Pressed '"))
    qtbot.waitUntil(lambda: shows(pane, "Pressed 0 times"))  # the new render, not only a hidden overlay
    assert not pane.overlay.isVisible()


def test_syntax_error_points_at_its_line(qtbot, pane):
    show(qtbot, pane, widget_row(COUNTER))
    pane.set_code(COUNTER.replace("const [n, setN]", "const [n, setN] = ;"))
    qtbot.waitUntil(lambda: pane.overlay.isVisible())
    assert pane.overlay.line == 2
    assert "compile" in pane.overlay.message.text().lower()


def test_edit_keeps_state_when_hooks_are_unchanged(qtbot, pane):
    show(qtbot, pane, widget_row(COUNTER))
    qtbot.mouseClick(pane.canvas.findChildren(QPushButton)[0], Qt.LeftButton)
    qtbot.waitUntil(lambda: shows(pane, "Clicked 1 times"))
    pane.set_code(COUNTER.replace("' times'", "' times!'"))
    qtbot.waitUntil(lambda: shows(pane, "Clicked 1 times!"))
    assert "state kept" in pane.status.text()


def test_starter_widget_counts_window_events_from_the_events_tab(qtbot, pane, conn, cart_viewer):
    row = next(w for w in load_plugin_files(conn, cart_viewer).widgets if w.widget_id == "cart-visit-counter")
    show(qtbot, pane, row)
    assert shows(pane, "Cart visits: 0") and shows(pane, "Cart Viewer")
    pane.window_event.setCurrentText("cart-viewed")
    dispatch = next(b for b in pane.findChildren(QPushButton) if b.text() == "Dispatch")
    for _ in range(2):
        qtbot.mouseClick(dispatch, Qt.LeftButton)
    qtbot.waitUntil(lambda: shows(pane, "Cart visits: 2"))
    pane.platform_event.setCurrentText("cart.viewed")
    with qtbot.waitSignal(pane.platform_event_requested) as emitted:
        qtbot.mouseClick(next(b for b in pane.findChildren(QPushButton) if b.text() == "Emit"), Qt.LeftButton)
    assert emitted.args == ["cart.viewed", {}]
    qtbot.waitUntil(lambda: shows(pane, "Cart visits: 3"))
    assert "window event 'cart-viewed' → 1 listener(s)" in pane.actions.toPlainText()


def test_config_form_changes_props_and_bad_json_is_refused(qtbot, pane, conn, cart_viewer):
    row = next(w for w in load_plugin_files(conn, cart_viewer).widgets if w.widget_id == "cart-visit-counter")
    show(qtbot, pane, row)
    pane.config_edit.setPlainText('{"title": "Basket", "accent": "#059669"}')
    qtbot.mouseClick(next(b for b in pane.findChildren(QPushButton) if b.text() == "Apply"), Qt.LeftButton)
    qtbot.waitUntil(lambda: shows(pane, "Basket"))
    pane.config_edit.setPlainText('{"title": ')
    qtbot.mouseClick(next(b for b in pane.findChildren(QPushButton) if b.text() == "Apply"), Qt.LeftButton)
    assert "not valid JSON" in pane.props_error.text()
    assert pane.config_edit.toPlainText() == '{"title": ', "the typed text is kept"
    qtbot.mouseClick(next(b for b in pane.findChildren(QPushButton) if b.text() == "Reset to default"), Qt.LeftButton)
    qtbot.waitUntil(lambda: shows(pane, "Cart Viewer"))


def test_typing_into_a_controlled_input_keeps_focus(qtbot, pane):
    code = """function Greeter() {
  const [name, setName] = React.useState('');
  return React.createElement('div', null,
    React.createElement('input', { value: name, onChange: e => setName(e.target.value.toUpperCase()) }),
    React.createElement('p', null, 'Hi ' + name));
}"""
    show(qtbot, pane, widget_row(code))
    field = pane.canvas.findChildren(QLineEdit)[0]
    field.setFocus()
    qtbot.keyClicks(field, "ada")
    qtbot.waitUntil(lambda: shows(pane, "Hi ADA"))
    # A re-render replaces the input; the old one stays a hidden child until Qt deletes it.
    field = next(w for w in pane.canvas.findChildren(QLineEdit) if w.isVisible())
    assert field.text() == "ADA"
    assert pane.window().focusWidget() is field, "the re-rendered input has the focus back"
    assert field.cursorPosition() == 3


def test_timers_follow_real_time(qtbot, pane):
    code = """function Ticker() {
  const [t, setT] = React.useState(0);
  React.useEffect(() => { const id = setInterval(() => setT(x => x + 1), 40); return () => clearInterval(id); }, []);
  return React.createElement('span', null, 'tick ' + t);
}"""
    show(qtbot, pane, widget_row(code))
    qtbot.waitUntil(lambda: shows(pane, "tick 3"))


@pytest.mark.time_limit
def test_endless_loop_is_stopped_and_the_preview_recovers(qtbot, pane):
    show(qtbot, pane, widget_row(COUNTER))
    pane.set_code("function W() { while (true) {} }")
    qtbot.waitUntil(lambda: pane.overlay.isVisible())
    assert "time limit" in pane.overlay.message.text()
    pane.set_code(COUNTER)
    qtbot.waitUntil(lambda: not pane.overlay.isVisible() and shows(pane, "Clicked 0 times"))
