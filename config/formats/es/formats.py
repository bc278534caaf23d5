"""Date formats for Spanish pages: Django's own, with a shorter date-and-time («22 de noviembre de 2026, 10:42»)."""

DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
MONTH_DAY_FORMAT = r"j \d\e F"

# Numbers as Mexico writes them (SAT, INEGI, Banxico): 1,250.50, not Spain's 1.250,50.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
