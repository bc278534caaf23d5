"""Date formats for English pages: the same order as the Spanish ones («22 November 2026, 10:42»), 24-hour clock."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
