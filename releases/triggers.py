"""The database's guard of release immutability, declared with django-pgtrigger.

A release and its files never change once made: no UPDATE, no DELETE, no TRUNCATE, and a
release's files are written only in the transaction that creates the release. The models
list these in ``Meta.triggers``; config/triggers.py installs them after every ``migrate``.
"""

import pgtrigger

# The same error class as a constraint violation: Django raises IntegrityError for it.
_REFUSE = """
    RAISE EXCEPTION 'A release is immutable: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
"""

REFUSE_CHANGE = pgtrigger.Trigger(
    name="refuse_change",
    when=pgtrigger.Before,
    operation=pgtrigger.Update | pgtrigger.Delete,
    level=pgtrigger.Row,
    func=_REFUSE,
)

# TRUNCATE passes row triggers, so it has a statement trigger of its own.
REFUSE_TRUNCATE = pgtrigger.Trigger(
    name="refuse_truncate",
    when=pgtrigger.Before,
    operation=pgtrigger.Truncate,
    level=pgtrigger.Statement,
    func=_REFUSE,
)

# A file may be added only while the transaction that inserted its release runs. The release
# row's xmin is the id of the (sub)transaction that inserted it: release_create may run in a
# savepoint (inside a test, or a caller's transaction), whose id is a little past the
# top-level one that pg_current_xact_id() returns. So the xmin is widened to a full 64-bit
# id next to this transaction's own (xids compare modulo 2^32), and PostgreSQL is asked
# whether that transaction is still in progress: a row another transaction inserted is
# visible only once that transaction has ended, so "in progress" means this one.
FILES_ONLY_WITH_THEIR_RELEASE = pgtrigger.Trigger(
    name="files_only_with_their_release",
    when=pgtrigger.Before,
    operation=pgtrigger.Insert,
    level=pgtrigger.Row,
    declare=[("inserted_by", "xid"), ("here", "bigint"), ("ahead", "bigint")],
    func="""
        here := pg_current_xact_id()::text::bigint;
        SELECT xmin INTO inserted_by FROM releases_release WHERE id = NEW.release_id;
        ahead := (inserted_by::text::bigint - here % 4294967296 + 4294967296) % 4294967296;
        IF inserted_by IS NULL
           OR ahead >= 2147483648
           OR pg_xact_status((here + ahead)::text::xid8) IS DISTINCT FROM 'in progress' THEN
            RAISE EXCEPTION
                'A release is immutable: files are added only with their release, not to release %',
                NEW.release_id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    """,
)
