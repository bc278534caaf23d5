"""What changes the agency systems' rows: ``agency_api`` (keys, access, status changes made by an agency's system) and
``webhooks`` (queueing, delivery, retries)."""
