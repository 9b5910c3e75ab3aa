"""The Migrations panel's Timings tab: each migration's execution time as a bar coloured by its status.

Readable in both themes (``ui/theme.style_plot``), axes that start at zero and never scale their
labels into "x0.001", room for the axes' text whatever the dock's height (the dock scrolls
instead), and no made-up axes when nothing ran yet: it says so.
"""
from __future__ import annotations

import os

from PySide6.QtGui import QColor

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
import pyqtgraph  # noqa: E402  (needs PYQTGRAPH_QT_LIB first)

from plugin_studio.ui import theme  # noqa: E402

STATUS_COLOURS = {
    "pending": "#6b7280", "running": "#2563eb", "completed": "#16a34a", "failed": "#dc2626",
    "rolled_back": "#d97706",
}
MAX_LABELLED_BARS = 40      # more versions than this under the axis would overlap
MIN_HEIGHT_PX = 120         # the two axes, their labels and a few bars


class MigrationTimingChart(pyqtgraph.PlotWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("migration-timings")
        self.setMinimumHeight(MIN_HEIGHT_PX)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        for name, label in (("left", "execution time (ms)"), ("bottom", "migration version")):
            axis = self.getAxis(name)
            axis.enableAutoSIPrefix(False)
            self.setLabel(name, label)
        self.getAxis("left").setWidth(56)
        self._bars = pyqtgraph.BarGraphItem(x=[], height=[], width=0.8)
        self.addItem(self._bars)
        self._empty = pyqtgraph.TextItem("No timings yet: run a migration to see how long it took", anchor=(0.5, 0.5))
        self.addItem(self._empty)
        theme.style_plot(self)
        theme.follow(self, lambda chart, appearance: chart._empty.setColor(QColor(appearance.palette.muted)))
        self.show_timings([])

    def show_timings(self, rows: list) -> None:
        """``rows``: ``MigrationRow``-likes (``execution_time_ms``, ``status``, ``migration_version``), in order."""
        heights = [row.execution_time_ms or 0 for row in rows]
        brushes = [pyqtgraph.mkBrush(STATUS_COLOURS.get(row.status, STATUS_COLOURS["pending"])) for row in rows]
        self._bars.setOpts(x=list(range(len(rows))), height=heights, width=0.8, brushes=brushes)
        ran = any(heights)
        self._empty.setVisible(not ran)
        self.getAxis("left").setTicks(None if ran else [[]])   # no invented scale for nothing measured
        bottom = self.getAxis("bottom")
        if rows and len(rows) <= MAX_LABELLED_BARS:
            bottom.setTicks([[(i, row.migration_version) for i, row in enumerate(rows)]])
        else:
            bottom.setTicks([[]] if not rows else None)
        self._set_ranges(len(rows), max(heights, default=0))

    def _set_ranges(self, bars: int, tallest: float) -> None:
        top = tallest * 1.15 if tallest > 0 else 1.0
        self.setXRange(-0.6, max(bars, 1) - 0.4, padding=0)
        self.setYRange(0, top, padding=0)
        self._empty.setPos((max(bars, 1) - 1) / 2, top / 2)

    def heights(self) -> list[float]:
        """The bar heights shown (ms), in table order."""
        return [float(h) for h in self._bars.opts.get("height", [])]
