"""The article record extraction produces (field names are the archive's)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields


@dataclass
class Article:
    url: str
    title: str
    text: str
    subtitle: str | None = None
    published: dt.datetime | None = None
    published_rule: str | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    editor: str | None = None
    photographers: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The fields as a dict (lists copied; no deep copy, which costs more
        than the rest of the record's handling)."""
        out = {name: getattr(self, name) for name in _FIELDS}
        for name, value in out.items():
            if isinstance(value, list):
                out[name] = list(value)
        return out


_FIELDS = tuple(f.name for f in fields(Article))
# a record's key (pipelines.page -> pipelines.extraction, never archived): the
# site hints that matched nothing on the page
HINTS_MISSED = "_hints_missed"
