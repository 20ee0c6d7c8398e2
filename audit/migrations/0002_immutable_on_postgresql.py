"""On PostgreSQL the database itself refuses to change or delete an audit entry (the model refuses too)."""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION audit_entry_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are never changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_immutable
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_immutable();
"""
ALLOW = """
DROP TRIGGER IF EXISTS audit_entry_immutable ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_immutable();
"""


def forbid(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID)


def allow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forbid, allow)]
