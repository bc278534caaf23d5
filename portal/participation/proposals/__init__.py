"""Citizen proposals (issue 11): addressed to an entity, with supports, a threshold and a deadline, comments, the
entity's answer and, for those it takes up, progress updates (Decidim's accountability)."""
