"""Project commands: `scrapy crawl` (with an exit code cron can use),
`scrapy extract`, and the archive maintenance commands."""
