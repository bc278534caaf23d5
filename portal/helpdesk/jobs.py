"""The help desk's periodic jobs (run by ``manage.py run_scheduler``; see ``portal/core/jobs.py``) and the retention
they carry out (docs/helpdesk.md):

- ``helpdesk.close_resolved``: a ticket resolved ``HELPDESK_AUTO_CLOSE_DAYS`` ago (14 by default) without a reply
  from the person is closed.
- ``helpdesk.erase_expired``: a ticket closed ``HELPDESK_RETENTION_DAYS`` ago (365 by default) loses the person's
  e-mail, name, account link, question and the texts of the conversation; the counts keep the rest.

Both are idempotent and safe to run from two schedulers at once (each ticket is locked and re-checked).
"""

from __future__ import annotations

from portal.core.jobs import Job

JOBS = [
    Job("helpdesk.close_resolved", "portal.helpdesk.actions.do_close_resolved", every_seconds=3600),
    Job("helpdesk.erase_expired", "portal.helpdesk.actions.do_erase_expired", every_seconds=3600),
]
