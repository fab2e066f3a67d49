"""The archive schema is versioned: changing a column without bumping
SCHEMA_VERSION (and pinning the new fingerprint here) fails this test, and the
README's schema section must describe the current version (see
tests/test_schema_readme.py)."""

from __future__ import annotations

import hashlib

import pyarrow.parquet as pq

from pipelines import schema
from pipelines.archive import to_table, write_part

# SCHEMA_VERSION -> fingerprint of every table's columns. When you change a
# schema: bump SCHEMA_VERSION, add its fingerprint here, record added columns in
# schema.ADDED_IN, and update the README's tables.
PINNED = {
    2: "c985c67fdafd5521",
    3: "c985c67fdafd5521",   # same columns; the minhash scheme changed
}


def fingerprint() -> str:
    parts = []
    for name, table_schema in sorted(schema.TABLES.items()):
        cols = ";".join(f"{f.name} {f.type} {'null' if f.nullable else 'notnull'}"
                        for f in table_schema)
        parts.append(f"{name}:{cols}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def test_schema_change_needs_a_version_bump():
    assert schema.SCHEMA_VERSION in PINNED, (
        f"SCHEMA_VERSION {schema.SCHEMA_VERSION} has no pinned fingerprint; add "
        f"{schema.SCHEMA_VERSION}: {fingerprint()!r} to PINNED")
    assert fingerprint() == PINNED[schema.SCHEMA_VERSION], (
        "the archive schema changed but SCHEMA_VERSION did not: bump it, pin "
        f"{fingerprint()!r} for the new version, update ADDED_IN and the README")


def test_every_table_carries_its_version():
    for name, table_schema in schema.TABLES.items():
        assert table_schema.metadata[b"schema_version"] == str(schema.SCHEMA_VERSION).encode(), name
        assert table_schema.field("schema_version").type == "int16", name


def test_added_columns_exist_and_are_nullable():
    for table, added in schema.ADDED_IN.items():
        for column, version in added.items():
            field = schema.TABLES[table].field(column)
            assert field.nullable and 1 < version <= schema.SCHEMA_VERSION, (table, column)


def test_part_files_record_the_version(tmp_path):
    import datetime as dt
    row = {"url": "u", "text": "t", "content_hash": "h", "run_id": "r",
           "fetched_at": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
           "schema_version": schema.SCHEMA_VERSION}
    path = write_part(tmp_path, "part-1.parquet", to_table([row], schema.ARTICLES))
    meta = pq.read_schema(path).metadata
    assert meta[b"schema_version"] == str(schema.SCHEMA_VERSION).encode()
