"""On PostgreSQL, a GIN index over the articles' segmented words (the `simple` text-search configuration:
no stemming, so Chinese words segmented at save time and English words match as written)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS training_article_search ON training_article "
    "USING gin (to_tsvector('simple'::regconfig, search_document))"
)
DROP = "DROP INDEX IF EXISTS training_article_search"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
