"""The online applications' periodic jobs (run by ``manage.py run_scheduler``; see ``portal/core/jobs.py``)."""

from portal.core.jobs import Job

JOBS = [
    # Drafts about to expire get their reminder before those past their time expire (in this order).
    Job("applications.remind_expiring_drafts", "portal.applications.actions.drafts.do_remind_expiring_drafts"),
    Job("applications.expire_drafts", "portal.applications.actions.drafts.do_expire_drafts"),
    # Cases «pendiente de pago» past their last day to pay are cancelled (docs/payments.md).
    Job("applications.lapse_unpaid", "portal.applications.actions.payment.do_lapse_unpaid"),
]
