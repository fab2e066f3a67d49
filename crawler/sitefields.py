"""Checking a site file's values: types, regexes, XPaths. Every error is a
:class:`SiteConfigError` whose message names the file and the key.

Used by :mod:`crawler.sites`; nothing here knows what a site is.

>>> check_type("3", 1.0, "a.toml: [politeness].delay")
Traceback (most recent call last):
...
crawler.sitefields.SiteConfigError: a.toml: [politeness].delay: expected a number, got '3'
"""

from __future__ import annotations

import re
from dataclasses import fields
from typing import Any
from urllib.parse import urlsplit

from lxml import etree


class SiteConfigError(ValueError):
    """A site file is wrong; the message names the file and the key."""


def regexes(values: tuple[str, ...], where: str) -> tuple[re.Pattern, ...]:
    out = []
    for v in values:
        try:
            out.append(re.compile(v))
        except re.error as e:
            raise SiteConfigError(f"{where}: bad regex {v!r}: {e}") from None
    return tuple(out)


def xpath(value: str, where: str) -> etree.XPath | None:
    """Compiled, and run once on a small page: an XPath that parses but cannot
    run (an undefined namespace prefix such as ``//h:div``, an unknown
    function) fails here, with its file and key, not on every page."""
    if not value:
        return None
    try:
        compiled = etree.XPath(value)
        compiled(etree.fromstring("<html><body><div><p>x</p></div></body></html>"))
    except etree.XPathError as e:
        raise SiteConfigError(f"{where}: bad XPath {value!r}: {e}") from None
    return compiled


def public_fields(cls) -> dict[str, Any]:
    return {f.name: f for f in fields(cls) if not f.name.startswith("_") and f.name != "path"}


def check_type(value: Any, default: Any, where: str) -> Any:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise SiteConfigError(f"{where}: expected true/false, got {value!r}")
        return value
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SiteConfigError(f"{where}: expected a number, got {value!r}")
        if value < 0:
            raise SiteConfigError(f"{where}: must not be negative, got {value!r}")
        return type(default)(value) if isinstance(default, int) and float(value).is_integer() else value
    if isinstance(default, tuple):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SiteConfigError(f"{where}: expected a list of strings, got {value!r}")
        return tuple(value)
    if isinstance(default, dict):
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise SiteConfigError(f"{where}: expected a table of strings, got {value!r}")
        return dict(value)
    if not isinstance(value, str):
        raise SiteConfigError(f"{where}: expected a string, got {value!r}")
    return value


def defaults(cls) -> dict[str, Any]:
    inst = cls()
    return {name: getattr(inst, name) for name in public_fields(cls)}


def section(cls, raw: Any, where: str) -> Any:
    if not isinstance(raw, dict):
        raise SiteConfigError(f"{where}: expected a table [{where.rsplit(' ', 1)[-1]}]")
    known = defaults(cls)
    values = {}
    for key, value in raw.items():
        if key not in known:
            raise SiteConfigError(
                f"{where}.{key}: unknown key (known: {', '.join(sorted(known))})")
        values[key] = check_type(value, known[key], f"{where}.{key}")
    return cls(**values)


_HOST = re.compile(r"[\w.-]+")   # a host name as a site file writes it: no scheme, port or path


def is_host(written: str) -> bool:
    """A host name as a site file writes it (no scheme, port, path or wildcard).

    >>> is_host("www.hebei.gov.cn"), is_host("http://x.cn"), is_host("*.x.cn")
    (True, False, False)
    """
    return bool(_HOST.fullmatch(written))


def host_hint(written: str) -> str:
    """``; write 'x.gov.cn'`` for a host written with a scheme, port, path or
    wildcard, when a bare host name can be read from it."""
    try:
        name = urlsplit(written.strip() if "//" in written else f"//{written.strip()}").hostname
    except ValueError:   # [www.x.cn
        return ""
    name = (name or "").removeprefix("*.")
    return f"; write {name!r}" if name and _HOST.fullmatch(name) else ""
