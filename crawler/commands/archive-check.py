"""`scrapy archive-check`: see crawler/commands/archive_check.py (Scrapy names
commands after their module, hence this hyphenated module)."""

from scrapy.commands import ScrapyCommand

from crawler.commands.archive_check import ArchiveCheck


class Command(ArchiveCheck, ScrapyCommand):
    pass
