"""What online applications tell other apps, sent inside the transaction that makes the change.

Receivers run synchronously in that transaction, so what they write (the integrations' webhook deliveries) commits or
rolls back with the change itself, and an error in a receiver fails the change. Other apps connect their receivers in
their ``AppConfig.ready()``; this app imports none of them.
"""

from django.dispatch import Signal

# Sent by ``actions.submission.do_submit`` once the case has its folio and due date; argument: ``application``.
application_submitted = Signal()
