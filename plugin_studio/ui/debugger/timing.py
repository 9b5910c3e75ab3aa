"""Per-handler timing of a scenario run N times: a bar chart of medians (p95 as a tick) and a table.

The numbers are the runner's own per-step durations (``Step.duration_ms``, measured in the worker
around each handler call); the slowest handler by median is drawn in a different colour.
"""
from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QProgressBar, QPushButton, QSpinBox, QSplitter, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
import pyqtgraph  # noqa: E402  (needs PYQTGRAPH_QT_LIB first)

from plugin_studio.models.debugger import HandlerTiming, slowest  # noqa: E402
from plugin_studio.ui import theme

SLOWEST = "#dc2626"     # the slowest handler stands out in either theme
TABLE_COLUMNS = ("Handler", "Runs", "Median ms", "p95 ms")


class TimingView(QWidget):
    timing_requested = Signal(int)   # iterations
    cancel_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.iterations = QSpinBox(minimum=1, maximum=100_000, value=100, suffix=" runs")
        self.run_button = QPushButton("Time scenario")
        self.cancel_button = QPushButton("Cancel", enabled=False)
        self.progress = QProgressBar(textVisible=True)
        self.summary = QLabel("Run the scenario many times to see where the time goes.")
        self.chart = pyqtgraph.PlotWidget()
        self.chart.setLabel("left", "median ms")
        self.chart.getAxis("left").enableAutoSIPrefix(False)
        self.chart.showGrid(y=True, alpha=0.3)
        self.chart.setMouseEnabled(x=False, y=False)
        self._bars = pyqtgraph.BarGraphItem(x=[], height=[], width=0.6)
        self._p95 = pyqtgraph.ScatterPlotItem(symbol="_", size=18)
        self.chart.addItem(self._bars)
        self.chart.addItem(self._p95)
        theme.style_plot(self.chart)
        theme.follow(self._p95, lambda p95, a: p95.setPen(pyqtgraph.mkPen(a.palette.chart_fg, width=2)))
        self.table = QTableWidget(0, len(TABLE_COLUMNS))
        self.table.setHorizontalHeaderLabels(TABLE_COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        bar = QHBoxLayout()
        for widget in (self.iterations, self.run_button, self.cancel_button, self.progress):
            bar.addWidget(widget)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.chart)
        splitter.addWidget(self.table)
        splitter.setSizes([360, 380])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        self.run_button.clicked.connect(lambda: self.timing_requested.emit(self.iterations.value()))
        self.cancel_button.clicked.connect(self.cancel_requested)

    def set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        if running:
            self.progress.setRange(0, self.iterations.value())
            self.progress.setValue(0)

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def show_timings(self, timings: list[HandlerTiming], runs: int, cancelled: bool = False) -> None:
        worst = slowest(timings)
        heights = [t.median for t in timings]
        brushes = [pyqtgraph.mkBrush(SLOWEST if i == worst else theme.current().palette.chart_bar)
                   for i in range(len(timings))]
        self._bars.setOpts(x=list(range(len(timings))), height=heights, width=0.6, brushes=brushes)
        self._p95.setData(x=list(range(len(timings))), y=[t.p95 for t in timings])
        self.chart.getAxis("bottom").setTicks([[(i, str(i + 1)) for i in range(len(timings))]])
        self.chart.enableAutoRange()
        self._fill_table(timings, worst)
        what = f"{runs} run{'s' if runs != 1 else ''}" + (" (cancelled)" if cancelled else "")
        self.summary.setText(f"{what}; bars: median per handler, ticks: p95"
                             + (f"; slowest: #{worst + 1} {timings[worst].label}" if worst is not None else ""))

    def _fill_table(self, timings: list[HandlerTiming], worst: int | None) -> None:
        self.table.setRowCount(len(timings))
        for row, t in enumerate(timings):
            cells = (f"{row + 1}. {t.label}", str(len(t.samples)), f"{t.median:.3f}", f"{t.p95:.3f}")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if row == worst:
                    item.setForeground(QBrush(QColor(SLOWEST)))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)

    # ---- what is shown (tests compare it with the traces) --------------------------------------------
    def chart_heights(self) -> list[float]:
        return [float(h) for h in self._bars.opts.get("height", [])]

    def chart_colours(self) -> list[str]:
        return [QColor(b.color()).name() for b in self._bars.opts.get("brushes") or []]

    def table_cells(self) -> list[list[str]]:
        return [[self.table.item(r, c).text() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]
