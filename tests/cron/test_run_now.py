"""Run now: a cron job's handler with its handler_params, as the platform's runner calls it, under its timeout."""
from __future__ import annotations

import json

from platform_db import insert_row
from plugin_parts import short_limits

from plugin_studio.db import cron, plugins
from plugin_studio.runner.controllers import run_cron_job
from plugin_studio.runner.host import JsHost
from plugin_studio.runner.scripts import plugin_data_services


def run(js, conn, plugin_id, row_id):
    return run_cron_job(js, plugins.get_plugin(conn, plugin_id), cron.get_cron(conn, row_id))


def test_run_now_passes_handler_params_and_gives_the_platforms_result(js, platform_conn, visits):
    platform_conn.execute("INSERT INTO plugin_data (plugin_id, data_key, data_value) VALUES (%s, 'visits', '7')",
                          (visits["plugin"],))
    done = run(js, platform_conn, visits["plugin"], visits["summary"])
    assert done.status == "ok", done.error
    result = json.loads(done.result_text)
    assert result["handler"] == "summarise" and result["result"] == {"total": 7, "window": "day"}
    assert done.console == [{"level": "log", "text": "visits so far 7"}]


def test_a_timer_inside_the_timeout_completes(js, platform_conn, visits):
    done = run(js, platform_conn, visits["plugin"], visits["cleanup"])
    assert (done.status, json.loads(done.result_text)["result"]) == ("ok", "cleaned")


def add_job(conn, plugin, name, code, timeout_seconds):
    return insert_row(conn, "plugin_cron", plugin_id=plugin, cron_name=name, cron_schedule="* * * * *",
                      handler_method=name, handler_code=code, timeout_seconds=timeout_seconds)


def test_an_endless_handler_is_stopped_after_its_timeout_seconds(platform_conn, visits):
    job = add_job(platform_conn, visits["plugin"], "spin", "while (true) {}", 1)
    with JsHost(short_limits(60_000), plugin_data_services(lambda: platform_conn)) as js:
        done = run(js, platform_conn, visits["plugin"], job)
        assert done.status == "timeout" and "timeout_seconds (1 s)" in done.error["message"]
        after = run(js, platform_conn, visits["plugin"], visits["cleanup"])  # the worker goes on
        assert after.status == "ok"


def test_a_wait_longer_than_timeout_seconds_is_a_timeout_without_waiting(js, platform_conn, visits):
    job = add_job(platform_conn, visits["plugin"], "slow", "await new Promise(r => setTimeout(r, 5000));\nreturn 1;", 2)
    done = run(js, platform_conn, visits["plugin"], job)
    assert done.status == "timeout" and "5000 ms" in done.error["message"]
    assert done.duration_ms < 5000


def test_a_throw_is_an_error_with_its_line_and_db_and_fetch_say_why_they_fail(js, platform_conn, visits):
    job = add_job(platform_conn, visits["plugin"], "bad", "const a = 1;\nthrow new Error('no ' + a);", 60)
    done = run(js, platform_conn, visits["plugin"], job)
    assert done.status == "error" and done.error["message"] == "no 1" and done.error["line"] == 2
    db_job = add_job(platform_conn, visits["plugin"], "db", "return await db.from('x').select();", 60)
    assert "tenant database client" in run(js, platform_conn, visits["plugin"], db_job).error["message"]
    net = add_job(platform_conn, visits["plugin"], "net", "return (await fetch(apiBaseUrl + '/x')).status;", 60)
    assert "without network access" in run(js, platform_conn, visits["plugin"], net).error["message"]


def test_a_job_without_code_fails_as_the_platforms_runner_refuses_it(js, platform_conn, visits):
    job = insert_row(platform_conn, "plugin_cron", plugin_id=visits["plugin"], cron_name="empty",
                     cron_schedule="0 * * * *", handler_method="empty")
    done = run(js, platform_conn, visits["plugin"], job)
    assert done.status == "error" and "No handler_code defined" in done.error["message"]
