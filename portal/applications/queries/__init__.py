"""Reads of the applications app, by audience: ``citizen`` (the journey, Mi expediente, tracking) and ``backoffice``."""
