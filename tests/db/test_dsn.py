"""Passwords never shown: every DSN form is parsed by libpq's rules (psycopg's conninfo)."""
from __future__ import annotations

import pytest
from psycopg.conninfo import conninfo_to_dict

from plugin_studio.db.dsn import UNREADABLE, masked_dsn


@pytest.mark.parametrize("dsn", [
    "postgresql://shop:s3cret@db.example.com:5433/store?sslmode=require",       # user:pw@ URI
    "postgresql://shop@db.example.com/store?password=s3cret&sslmode=require",   # ?password= URI
    "host=db.example.com port=5433 user=shop password=s3cret dbname=store",      # key=value
    "host=db.example.com user=shop password='s3cret with spaces' dbname=store",  # quoted key=value
    "postgres://shop:s3cret@/store?host=/var/run/postgresql",                   # socket folder in the query
    "postgresql://shop:s3cret@h1:5432,h2:5433/store",                           # several hosts
    "host=db.example.com user=shop sslpassword=s3cret dbname=store",             # the SSL key's password
])
def test_every_secret_is_masked_and_the_rest_still_reads_the_same(dsn):
    shown = masked_dsn(dsn)
    assert "s3cret" not in shown
    original, masked = conninfo_to_dict(dsn), conninfo_to_dict(shown)
    for key in ("password", "sslpassword"):
        if key in original:
            assert masked[key] == "***"
    assert {k: v for k, v in masked.items() if v != "***"} == \
        {k: v for k, v in original.items() if k not in ("password", "sslpassword")}


def test_the_form_the_user_wrote_is_kept():
    assert masked_dsn("postgresql://shop:s3cret@db:5433/store") == "postgresql://shop:***@db:5433/store"
    assert sorted(masked_dsn("host=db user=shop password=s3cret").split()) == ["host=db", "password=***", "user=shop"]


def test_a_dsn_without_secrets_is_shown_as_written():
    dsn = "postgresql://postgres:@/plugin_studio?host=/tmp/pgsock"
    assert masked_dsn(dsn) == dsn


def test_a_dsn_libpq_cannot_read_is_not_shown_at_all():
    assert masked_dsn("host=db password=s3cret bogus_option=1") == UNREADABLE
    assert masked_dsn("password='s3cret") == UNREADABLE
