"""Schedules: checked, in words, and the next runs in the job's timezone across daylight-saving changes."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from plugin_studio.models.cron_schedule import (
    Schedule, ScheduleError, check_expression, describe, next_runs, platform_note,
)

BERLIN = ZoneInfo("Europe/Berlin")


def test_every_quarter_hour_of_office_hours_in_berlin_across_the_spring_change():
    # Friday 27 March 2026, 17:20 CET; clocks go forward on Sunday the 29th.
    runs = next_runs(Schedule("*/15 9-17 * * 1-5", "Europe/Berlin"), datetime(2026, 3, 27, 16, 20, tzinfo=timezone.utc))
    assert [r.isoformat() for r in runs] == [
        "2026-03-27T17:30:00+01:00", "2026-03-27T17:45:00+01:00",
        "2026-03-30T09:00:00+02:00", "2026-03-30T09:15:00+02:00", "2026-03-30T09:30:00+02:00",
    ]
    assert [r.astimezone(timezone.utc).strftime("%d %H:%M") for r in runs] == [
        "27 16:30", "27 16:45", "30 07:00", "30 07:15", "30 07:30"]


def test_a_fixed_time_in_the_repeated_autumn_hour_runs_once_and_one_in_the_skipped_hour_right_after():
    autumn = next_runs(Schedule("30 2 * * *", "Europe/Berlin"), datetime(2026, 10, 24, 12, tzinfo=BERLIN), 3)
    assert [r.isoformat() for r in autumn] == [
        "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00", "2026-10-27T02:30:00+01:00"]
    spring = next_runs(Schedule("30 2 * * *", "Europe/Berlin"), datetime(2026, 3, 28, 12, tzinfo=BERLIN), 2)
    assert [r.isoformat() for r in spring] == ["2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"]


def test_an_hourly_job_runs_in_both_copies_of_the_repeated_hour():
    runs = next_runs(Schedule("0 * * * *", "Europe/Berlin"), datetime(2026, 10, 25, 0, 30, tzinfo=BERLIN), 4)
    assert [r.astimezone(timezone.utc).hour for r in runs] == [23, 0, 1, 2]


def test_schedules_in_words():
    assert describe("*/15 9-17 * * 1-5") == "Every 15 minutes, between 09:00 and 17:59, Monday through Friday"
    assert describe("0 9 * * *") == "At 09:00"


@pytest.mark.parametrize("expression, message", [
    ("* * * *", "has 4"), ("0 0 * * * *", "no seconds field"), ("61 * * * *", "minute field '61'"),
    ("0 25 * * *", "hour field"), ("", "has 0"),
])
def test_bad_schedules_say_what_is_wrong(expression, message):
    with pytest.raises(ScheduleError, match=message):
        check_expression(expression)


def test_an_unknown_timezone_is_refused():
    with pytest.raises(ScheduleError, match="IANA"):
        next_runs(Schedule("0 9 * * *", "Mars/Olympus"), datetime.now(timezone.utc))


def test_where_the_platforms_scheduler_differs_is_said():
    assert platform_note("*/5 * * * *") is None
    assert "one hour after each run" in platform_note("*/15 9-17 * * 1-5")
