"""Views by audience: ``apply``, ``mine``, ``tracking``, ``files`` (citizens), ``backoffice`` and ``prevention``."""
