"""A cron job's schedule: checked, said in words, and its next runs in the job's own timezone.

Expressions are the five fields of standard cron (minute hour day-of-month month day-of-week), as
the platform's ``plugin_cron.cron_schedule`` holds them; croniter computes the runs and
cron-descriptor words them. Runs are instants in the job's IANA timezone (``zoneinfo``), so a
daylight-saving change moves them as the wall clock moves: "09:00" stays 09:00 local.

Around a change the rule is Vixie cron's: a job at a fixed hour whose local time is skipped runs
right after the gap; one whose local time comes twice (the hour repeated in autumn) runs once. A
job whose hour field has a ``*`` runs by elapsed time, so it runs in both copies of the hour.

Where the platform differs: its scheduler (``services/cron-scheduler.js``) computes the next run only
for ``0 0 * * *``, ``0 * * * *`` and ``*/5 * * * *``, in the server's timezone; for every other
expression the next run is one hour after the last (``platform_note``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone as dt_timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cron_descriptor import Options, get_description
from croniter import croniter

PLATFORM_EXACT = ("0 0 * * *", "0 * * * *", "*/5 * * * *")
FIELDS = ("minute", "hour", "day of month", "month", "day of week")


class ScheduleError(ValueError):
    """A schedule or timezone the job can't run on; the message says what is wrong."""


@dataclass(frozen=True)
class Schedule:
    expression: str
    timezone: str = "UTC"


def check_expression(expression: str) -> str:
    """The expression, stripped; ScheduleError unless it is five valid cron fields."""
    text = " ".join(expression.split())
    fields = text.split(" ") if text else []
    if len(fields) != 5:
        raise ScheduleError(f"a schedule has 5 fields ({', '.join(FIELDS)}), this one has {len(fields)}"
                            + (": the platform's scheduler has no seconds field" if len(fields) == 6 else ""))
    if not croniter.is_valid(text):
        raise ScheduleError(f"{text!r} is not a valid schedule: {_bad_field(fields)}")
    return text


def _bad_field(fields: list[str]) -> str:
    for i, name in enumerate(FIELDS):
        probe = ["*"] * 5
        probe[i] = fields[i]
        if not croniter.is_valid(" ".join(probe)):
            return f"the {name} field {fields[i]!r} is out of range or malformed"
    return "its fields do not combine into a schedule"


def zone(name: str | None) -> ZoneInfo:
    """The IANA zone ``name`` (empty or None: UTC, the column's default); ScheduleError if unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"{name!r} is not a timezone name (use an IANA name such as Europe/Berlin)") from None


def describe(expression: str) -> str:
    """The schedule in words, 24-hour clock: ``Every 15 minutes, between 09:00 and 17:59, Monday through Friday``."""
    options = Options()
    options.use_24hour_time_format = True
    return get_description(check_expression(expression), options)


def next_runs(schedule: Schedule, after: datetime, count: int = 5) -> list[datetime]:
    """The next ``count`` runs strictly after ``after`` (an aware datetime), in the job's timezone."""
    expression = check_expression(schedule.expression)
    tz = zone(schedule.timezone)
    fixed_hour = "*" not in expression.split(" ")[1]
    runs = croniter(expression, after.astimezone(tz))
    found: list[datetime] = []
    while len(found) < count:
        run = runs.get_next(datetime)
        if fixed_hour and found and run.replace(tzinfo=None) == found[-1].replace(tzinfo=None):
            continue  # the repeated autumn hour: a fixed-time job runs once
        found.append(run)
    return found


def next_run(schedule: Schedule, after: datetime | None = None) -> datetime:
    return next_runs(schedule, after or datetime.now(dt_timezone.utc), 1)[0]


def platform_note(expression: str) -> str | None:
    """Where the platform's scheduler will not follow this schedule, in words; None where it does."""
    text = " ".join(expression.split())
    if text in PLATFORM_EXACT:
        return None
    return ("the platform's scheduler computes next runs only for 0 0 * * *, 0 * * * * and */5 * * * *: "
            "with this schedule it runs the job about one hour after each run, not at the times shown")
