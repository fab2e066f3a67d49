"""The README describes the current archive schema: its version and every column."""

from __future__ import annotations

import re

from pipelines import schema
from tests.conftest import ROOT


def archive_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## The archive")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def test_readme_names_the_current_schema_version():
    section = archive_section()
    versions = {int(v) for v in re.findall(r"schema version (\d+)", section)}
    assert versions == {schema.SCHEMA_VERSION}, (
        f"README's archive section mentions schema versions {sorted(versions)}; "
        f"the code is at {schema.SCHEMA_VERSION}")


def test_readme_describes_every_column():
    section = archive_section()
    missing = [f"{table}.{f.name}" for table, table_schema in schema.TABLES.items()
               for f in table_schema if f"`{f.name}`" not in section]
    assert not missing, f"README's archive section lacks {missing}"
