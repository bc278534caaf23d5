"""Public consultations on drafts (issue 11): an entity's draft in sections, comments on a section or a passage,
replies and supports, moderation, and the entity's response with what changed."""
