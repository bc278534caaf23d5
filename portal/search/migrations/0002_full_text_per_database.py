"""Full text beside the index rows, each database with its own machinery.

PostgreSQL: the ``unaccent`` and ``pg_trgm`` extensions, the ``spanish_unaccent`` text-search configuration (accents
removed, then the Spanish Snowball stemmer), a GIN index on the documents' tsvector and a GIN trigram index on the
vocabulary. SQLite: the FTS5 table ``search_fts`` (its rowid is the document's id), fed with text already stemmed in
Python. Each half is skipped on the other database. Reversible.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'spanish_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION spanish_unaccent (COPY = spanish);
            ALTER TEXT SEARCH CONFIGURATION spanish_unaccent
                ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
                WITH unaccent, spanish_stem;
        END IF;
    END
    $$
    """,
    "CREATE INDEX IF NOT EXISTS search_document_vector_gin ON search_searchdocument USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS search_term_trigram_gin ON search_searchterm USING gin (term gin_trgm_ops)",
]
# The extensions stay: other apps may come to use them, and dropping one in use would fail.
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_term_trigram_gin",
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS spanish_unaccent",
]
SQLITE_FORWARD = [
    'CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(title, keys, keywords, body, tokenize = "unicode61 remove_diacritics 2")',
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_fts"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_index")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
