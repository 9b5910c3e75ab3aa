"""The migrations timing chart: readable axes from zero, no invented scale when nothing ran."""
from __future__ import annotations

from types import SimpleNamespace

from plugin_studio.ui.migration_chart import MigrationTimingChart


def rows(*times):
    return [SimpleNamespace(execution_time_ms=t, status="completed" if t else "pending",
                            migration_version=f"1.0.{i}") for i, t in enumerate(times)]


def test_nothing_run_yet_says_so_without_a_made_up_scale(qtbot):
    chart = MigrationTimingChart()
    qtbot.addWidget(chart)
    chart.show_timings(rows(None, None))
    assert chart._empty.isVisible()
    assert chart.getAxis("left")._tickLevels == [[]]
    (x0, x1), (y0, y1) = chart.viewRange()
    assert y0 == 0 and x0 < 0 < 1 <= x1 + 0.5


def test_times_are_shown_in_ms_from_zero_with_every_version_under_its_bar(qtbot):
    chart = MigrationTimingChart()
    qtbot.addWidget(chart)
    chart.show_timings(rows(3, 1200, None))
    assert chart.heights() == [3.0, 1200.0, 0.0]
    assert not chart._empty.isVisible()
    (_x0, _x1), (y0, y1) = chart.viewRange()
    assert y0 == 0 and y1 >= 1200
    for name in ("left", "bottom"):
        axis = chart.getAxis(name)
        assert axis.autoSIPrefixScale == 1.0 and "x0.001" not in axis.labelString()
    assert [label for _pos, label in chart.getAxis("bottom")._tickLevels[0]] == ["1.0.0", "1.0.1", "1.0.2"]
