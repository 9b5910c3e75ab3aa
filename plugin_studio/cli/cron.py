"""``plugin-studio cron next PLUGIN NAME [--count N] [--json]`` and ``plugin-studio cron run PLUGIN NAME [--json]``.

``next`` prints the job's schedule in words and its next runs in the job's timezone (and where the
platform's scheduler would not follow it); ``run`` runs the job's handler now, with its
``handler_params``, as the platform's runner calls it, stopped after its ``timeout_seconds``, and
prints the platform's result object, the console and any error. Neither changes the job's row.
Exit status: 0, 1 when the job failed or can't be scheduled, 2 for bad arguments.
"""
from __future__ import annotations

import sys
from datetime import datetime, timezone

from plugin_studio.cli._common import CommandError, add_command, database, print_json
from plugin_studio.db import cron, plugins
from plugin_studio.db.runtime import load_modules
from plugin_studio.models import cron_schedule
from plugin_studio.runner.controllers import CronRun, run_cron_job
from plugin_studio.runner.errors import RunnerError
from plugin_studio.runner.host import JsHost
from plugin_studio.runner.scripts import plugin_data_services


def register(subparsers) -> None:
    group = subparsers.add_parser("cron", help="a plugin's scheduled jobs: next runs, run now")
    sub = group.add_subparsers(dest="cron_command", metavar="ACTION", required=True)
    upcoming = add_command(sub, "next", cmd_next, "the job's schedule in words and its next runs")
    run = add_command(sub, "run", cmd_run, "run the job's handler now, under its timeout_seconds")
    for parser in (upcoming, run):
        parser.add_argument("plugin", metavar="PLUGIN", help="the plugin's id, slug or name")
        parser.add_argument("name", metavar="NAME", help="the job's cron_name")
        parser.add_argument("--json", action="store_true", help="one JSON object")
    upcoming.add_argument("--count", type=int, default=5, choices=range(1, 101), metavar="N", help="how many runs (5)")


def _job(conn, args):
    plugin = plugins.find_plugin(conn, args.plugin)
    job = cron.find_cron(conn, plugin.id, args.name)
    if job is None:
        raise CommandError(f"{plugin.name} has no cron job {args.name!r}")
    return plugin, job


def cmd_next(args) -> int:
    with database(args) as conn:
        _plugin, job = _job(conn, args)
    schedule = cron_schedule.Schedule(job.cron_schedule, job.timezone or "UTC")
    try:
        words = cron_schedule.describe(job.cron_schedule)
        runs = cron_schedule.next_runs(schedule, datetime.now(timezone.utc), args.count)
    except cron_schedule.ScheduleError as exc:
        raise CommandError(f"{job.cron_name}: {exc}") from exc
    note = cron_schedule.platform_note(job.cron_schedule)
    if args.json:
        print_json({"name": job.cron_name, "schedule": schedule.expression, "timezone": schedule.timezone,
                    "description": words, "next": [r.isoformat() for r in runs], "enabled": job.is_enabled is True,
                    "platform_note": note})
        return 0
    print(f"{job.cron_name}: {schedule.expression} ({words}), {schedule.timezone}"
          + ("" if job.is_enabled is True else " (disabled)"))
    for run in runs:
        print(f"  {run:%a %Y-%m-%d %H:%M %Z}")
    if note:
        print(f"note: {note}")
    return 0


def cmd_run(args) -> int:
    with database(args) as conn:
        plugin, job = _job(conn, args)
        modules = load_modules(conn, [plugin.id])[plugin.id]
        with JsHost(services=plugin_data_services(lambda: conn)) as host:
            host.set_modules(plugin.id, modules.scripts, modules.dependencies)
            try:
                done = run_cron_job(host, plugin, job)
            except RunnerError as exc:
                raise CommandError(str(exc)) from exc
    if args.json:
        print_json(done.to_json())
    else:
        print_run(job.cron_name, done)
    return 0 if done.status == "ok" else 1


def print_run(name: str, done: CronRun) -> None:
    print(f"{name}: {done.status} · {done.duration_ms:.1f} ms (timeout {done.timeout_seconds} s)")
    if done.result_text:
        print(done.result_text)
    for line in done.console:
        print(f"console.{line['level']}: {line['text'][:2000]}")
    if done.error:
        where = f" ({done.error.get('path')}:{done.error.get('line')})" if done.error.get("line") else ""
        print(f"error: {done.error.get('message')}{where}", file=sys.stderr)
    for note in done.notes:
        print(f"note: {note}")
