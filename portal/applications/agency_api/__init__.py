"""The API for agencies' own systems (``/api/agencias/v1/``) and the signed webhooks that announce new applications.

``api.py`` builds the django-ninja API, ``views.py`` its endpoints, ``auth.py`` the API-key check, ``records.py`` the
JSON of a case, ``queries.py`` the cursor-paged list, ``signatures.py`` the webhook signature (and the receiver's
check, for agencies to copy), ``admin_views.py`` the keys, webhooks and deliveries pages of the Wagtail admin. The
rules live in ``actions/agency_api.py`` and ``actions/webhooks.py``. docs/applications.md, "Agency systems".
"""
