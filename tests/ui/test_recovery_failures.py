"""A recovery file that can't be written (a full disk, a folder gone) is said once in the status bar,
and writing goes on as soon as it can again; nothing is lost from the editor meanwhile."""
from __future__ import annotations

import shutil

from ui_helpers import open_file


def test_a_failing_recovery_write_warns_once_and_keeps_retrying(qtbot, cart_viewer, make_window, recovery):
    window = make_window(select_plugin=cart_viewer)
    tab = open_file(qtbot, window, "hooks/product_price.js")
    qtbot.keyClicks(tab.editor, "/* mine */")
    messages: list[str] = []
    window.statusBar().messageChanged.connect(lambda text: text and messages.append(text))
    shutil.rmtree(recovery.folder)
    recovery.folder.write_text("")          # the folder is now a file: every write fails with an OSError
    for _attempt in range(3):                # three ticks of the recovery timer
        window.editors.write_recovery()
    warnings = [m for m in messages if "crash recovery" in m]
    assert len(warnings) == 1 and "retrying" in warnings[0]
    assert window.statusBar().currentMessage() == warnings[0] and tab.text().startswith("/* mine */")
    recovery.folder.unlink()
    recovery.folder.mkdir()                  # space again
    window.editors.write_recovery()
    assert [b.text for b in recovery.pending()] == [tab.text()]
    for _attempt in range(2):
        window.editors.write_recovery()
    assert len([m for m in messages if "crash recovery" in m]) == 1
