"""The appointments' periodic jobs (``portal/core/jobs.py``): each idempotent and safe from two schedulers at once."""

from portal.core.jobs import Job

JOBS = [
    # Opens each new day's slots at the schedule's release hour (and keeps them in line with the calendars).
    Job("appointments.open_slots", "portal.appointments.slots.do_open_all_slots", every_seconds=15 * 60),
    Job("appointments.reminders", "portal.appointments.actions.do_send_reminders", every_seconds=5 * 60),
    Job("appointments.lapse_offers", "portal.appointments.actions.do_lapse_offers", every_seconds=5 * 60),
    Job("appointments.no_shows", "portal.appointments.actions.do_mark_no_shows", every_seconds=15 * 60),
    Job("appointments.redact", "portal.appointments.personal_data.do_redact_old", every_seconds=24 * 60 * 60),
]
