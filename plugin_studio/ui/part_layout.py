"""How a part's pane sits beside its editor: the editor keeps two fifths of the tab, the pane three,
and both keep those shares when the window is resized (neither is squeezed to nothing). The pane is
the splitter's last widget; others between them (hidden ones included) keep their sizes."""
from __future__ import annotations

from PySide6.QtCore import QTimer

EDITOR_SHARE = 0.4


def attach_beside(tab, pane) -> None:
    tab.attach_side_panel(pane)
    last = tab.splitter.count() - 1
    tab.splitter.setCollapsible(last, False)
    tab.splitter.setStretchFactor(0, 2)
    tab.splitter.setStretchFactor(last, 3)
    QTimer.singleShot(0, lambda: _share(tab))


def _share(tab) -> None:
    # Before the tab is laid out its width is a placeholder: shares of 800 are scaled once it is.
    sizes = tab.splitter.sizes()
    others = sum(sizes[1:-1])
    width = max(tab.splitter.width(), 800) - others
    editor = int(width * EDITOR_SHARE)
    tab.splitter.setSizes([editor, *sizes[1:-1], width - editor])
