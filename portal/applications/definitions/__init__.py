"""Form definitions: the schema format, its validation, the runtime logic and the admin editor."""
