"""Triggers that name the cities whose stored standings (compacts.stored) went stale, in the
same statement as the write, whatever makes it: a service, the admin, ``seed``, a bulk
``update()``, raw SQL. Installed after ``migrate`` like every pgtrigger trigger here
(config/triggers.py).

Statement-level, with the statement's rows as transition tables, so a bulk insert of
200,000 assessments costs one INSERT ... SELECT DISTINCT, not 200,000 trigger calls.
"""

import pgtrigger

STALE = "compacts_stalestanding"
ALL = f"INSERT INTO {STALE} (city_id) VALUES (0) ON CONFLICT DO NOTHING; RETURN NULL;"


def _cities(rows: str) -> str:
    return (
        f"INSERT INTO {STALE} (city_id) SELECT DISTINCT city_id FROM {rows}"
        " WHERE city_id IS NOT NULL ON CONFLICT DO NOTHING;"
    )


def _cited_findings_cities(rows: str) -> str:
    """The cities of the findings whose citations are among ``rows`` (a finding is known from
    its primary citations' documents)."""
    return (
        f"INSERT INTO {STALE} (city_id) SELECT DISTINCT f.city_id FROM {rows} c"
        " JOIN django_content_type t ON t.id = c.content_type_id"
        " AND t.app_label = 'compacts' AND t.model = 'trajectoryfinding'"
        " JOIN compacts_trajectoryfinding f ON f.id = c.object_id"
        " WHERE f.city_id IS NOT NULL ON CONFLICT DO NOTHING;"
    )


def _by_city(name: str, cities=_cities) -> list[pgtrigger.Trigger]:
    """Stale cities from the rows a statement inserted, changed (before and after) or deleted;
    every city after a TRUNCATE."""
    statement = {"when": pgtrigger.After, "level": pgtrigger.Statement}
    return [
        pgtrigger.Trigger(
            name=f"{name}_ins",
            operation=pgtrigger.Insert,
            referencing=pgtrigger.Referencing(new="new_rows"),
            func=cities("new_rows") + " RETURN NULL;",
            **statement,
        ),
        pgtrigger.Trigger(
            name=f"{name}_upd",
            operation=pgtrigger.Update,
            referencing=pgtrigger.Referencing(old="old_rows", new="new_rows"),
            func=cities("old_rows") + cities("new_rows") + " RETURN NULL;",
            **statement,
        ),
        pgtrigger.Trigger(
            name=f"{name}_del",
            operation=pgtrigger.Delete,
            referencing=pgtrigger.Referencing(old="old_rows"),
            func=cities("old_rows") + " RETURN NULL;",
            **statement,
        ),
        pgtrigger.Trigger(
            name=f"{name}_trunc", operation=pgtrigger.Truncate, func=ALL, **statement
        ),
    ]


# A stage's order or a source's date can move any city's standing: rare writes, so they
# mark every city stale.
_EVERY_CITY = pgtrigger.Trigger(
    name="standing_all",
    when=pgtrigger.After,
    level=pgtrigger.Statement,
    operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete | pgtrigger.Truncate,
    func=ALL,
)
_SOURCE_DATES = pgtrigger.Trigger(
    name="standing_source_dates",
    when=pgtrigger.After,
    level=pgtrigger.Statement,
    operation=pgtrigger.Update,
    referencing=pgtrigger.Referencing(old="old_rows", new="new_rows"),
    func=f"""
        IF EXISTS (
            SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE n.published_on IS DISTINCT FROM o.published_on
               OR n.known_no_earlier_than IS DISTINCT FROM o.known_no_earlier_than
        ) THEN {ALL} END IF;
        RETURN NULL;
    """,
)


def register() -> None:
    from django.apps import apps

    model = apps.get_model
    for trigger in _by_city("standing"):
        pgtrigger.register(trigger)(model("compacts", "Assessment"))
    for trigger in _by_city("standing"):
        pgtrigger.register(trigger)(model("compacts", "TrajectoryFinding"))
    pgtrigger.register(_EVERY_CITY)(model("compacts", "Stage"))
    for trigger in _by_city("standing", cities=_cited_findings_cities):
        pgtrigger.register(trigger)(model("sources", "Citation"))
    pgtrigger.register(_SOURCE_DATES)(model("sources", "Source"))
