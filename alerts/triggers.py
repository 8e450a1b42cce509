"""A new trajectory finding is news for its city's watchers: a database trigger records it.

AFTER INSERT on compacts_trajectoryfinding, one alerts_findingadded row per finding, whoever
adds it (the admin, a shell, a future service), except the seed's writes: `seed` marks its
transaction (common.seeding), since it never mails anyone.

Registered on compacts' model from AlertsConfig.ready, not in compacts' Meta: the record
does not know that alerts exist (compacts imports nothing of alerts), and the knowledge of
what is news stays in this app.
"""

import pgtrigger

from common.seeding import SETTING

FINDING_ADDED = pgtrigger.Trigger(
    name="alerts_finding_added",
    when=pgtrigger.After,
    operation=pgtrigger.Insert,
    level=pgtrigger.Row,
    condition=pgtrigger.Condition(f"current_setting('{SETTING}', true) IS DISTINCT FROM 'on'"),
    # clock_timestamp(), not now(): the moment of the insert, as Django's auto_now_add would
    # write it, not the start of a transaction that may have begun before a watch did.
    func="""
        INSERT INTO alerts_findingadded (finding_id, added_at) VALUES (NEW.id, clock_timestamp())
        ON CONFLICT (finding_id) DO NOTHING;
        RETURN NULL;
    """,
)


def register() -> None:
    from compacts.models import TrajectoryFinding

    pgtrigger.register(FINDING_ADDED)(TrajectoryFinding)
