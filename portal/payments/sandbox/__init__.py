"""The sandbox payment provider: a stand-in for a card payment company, run as its own process beside the portal
(``python -m portal.payments.sandbox --port 8010``; ``make run`` starts it). It has a JSON API, a hosted payment page
that decides by test card, signed notifications sent at least once, and a control API that makes it send them twice,
out of order, late or never (docs/payments-providers.md). It needs no Django and never touches real money.

The portal reaches it only through ``portal.payments.providers.sandbox.SandboxProvider``, as it would a real provider.
"""
