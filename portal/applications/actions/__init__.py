"""Writes to applications, by sub-domain: ``transitions`` (status changes and the event record, shared by every
channel), ``definitions`` (editing and publishing forms), ``drafts`` and ``submission`` (the citizen's journey),
``casework`` (the back office). Agency systems act through ``portal.integrations``, which calls these.
"""
