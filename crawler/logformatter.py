"""Log lines of dropped items: the reason alone.

Every drop reason here names the page and why (``extract/empty: <url>: no
article text found``); Scrapy's default adds the whole item on a second line,
which in a nightly run's mail is noise.
"""

from __future__ import annotations

from scrapy.logformatter import LogFormatter


class DropReasonFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider):
        entry = super().dropped(item, exception, response, spider)
        return {**entry, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}
