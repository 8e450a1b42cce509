"""One source per document.

Seed file 002 is a meeting packet holding four documents: the agenda, the minutes of the
previous meeting, an ESSA timeline and the CRPE report of January 2017. Two sources (the
packet and the report) each held the whole file, so a sentence of the minutes passed as a
quote from the report. This migration gives each document its own source and text, cut
by the same markers the fixtures record, and moves every citation and piece of evidence
stored against those sources to the document that holds its quote (matched as the quote
checker matches), recounting "paragraph N" locations within that document. It also dates
the four documents that print no date by the month they are known no earlier than.

What it knows is frozen here, as a migration's must be; the fixtures say the same.
"""

import datetime
import re
from pathlib import Path

from django.conf import settings
from django.db import migrations

from sources.matching import find_quote, location_of

FILE = "002_54657fed30825c51.txt"
PACKET = "arkansas-stakeholder-packet-2017-01-30"
MINUTES = "little-rock-stakeholder-group-minutes-2016-12-05"
TIMELINE = "arkansas-essa-timeline"
REPORT = "bridging-the-divide-2017"
_MINUTES_START = "Minutes\nLittle Rock Area Public Education Stakeholder Group Meeting"
_TIMELINE_START = "ARKANSAS DEPARTMENT OF EDUCATION"
_REPORT_START = "Bridging the District-Charter Divide to Help More Students Succeed\n\nRobin Lake"
# key: (start marker, end marker, fields of a source created here)
DOCUMENTS = {
    PACKET: (
        None,
        _MINUTES_START,
        {
            "title": "Agenda of the Little Rock Area Public Education Stakeholder Group meeting,"
            " Monday, January 30, 2017 (Arkansas Department of Education)",
        },
    ),
    MINUTES: (
        _MINUTES_START,
        _TIMELINE_START,
        {
            "title": "Minutes of the Little Rock Area Public Education Stakeholder Group meeting,"
            " Monday, December 5, 2016",
            "authors": "Deborah Coffman",
            "publisher": "Arkansas Department of Education",
            "kind": "meeting_packet",
            "date_precision": "unknown",
            "date_as_written": "undated; minutes of the December 5, 2016 meeting, in the packet"
            " for January 30, 2017",
            "known_no_earlier_than": datetime.date(2016, 12, 1),
        },
    ),
    TIMELINE: (
        _TIMELINE_START,
        _REPORT_START,
        {
            "title": "Arkansas Department of Education, ESSA plan timeline",
            "publisher": "Arkansas Department of Education",
            "kind": "other",
            "date_precision": "unknown",
            "date_as_written": "undated; its first entry is December 10, 2015, and it was"
            " circulated in the packet for January 30, 2017",
            "known_no_earlier_than": datetime.date(2015, 12, 1),
        },
    ),
    REPORT: (_REPORT_START, None, {}),
}
UNDATED = {
    "lessons-learned-brief": datetime.date(2018, 1, 1),
    "asking-the-hard-questions": datetime.date(2013, 1, 1),
    "crpe-focus-area-collaboration": datetime.date(2017, 1, 1),
    "collision-course": datetime.date(2017, 8, 1),
}
_PARAGRAPH = re.compile(r"^(.*, )?paragraph \d+$")


def _origin(start, end):
    begin = f"from “{' '.join(start.split())[:40]}”" if start else "from its start"
    stop = f"to before “{' '.join(end.split())[:40]}”" if end else "to its end"
    return f"fixtures/documents/{FILE}, {begin} {stop}"


def forwards(apps, schema_editor):
    Source = apps.get_model("sources", "Source")
    Citation = apps.get_model("sources", "Citation")
    Evidence = apps.get_model("workspace", "Evidence")
    for key, day in UNDATED.items():
        Source.objects.filter(
            key=key, published_on__isnull=True, known_no_earlier_than__isnull=True
        ).update(known_no_earlier_than=day)
    path = Path(settings.FIXTURE_DIRS[0]) / "documents" / FILE
    if not Source.objects.filter(document_file=FILE).exists() or not path.exists():
        return  # a new database: the seed creates the four sources
    whole = path.read_text(encoding="utf-8")
    sources = {}
    for key, (start, end, fields) in DOCUMENTS.items():
        first = whole.index(start) if start else 0
        last = whole.index(end) if end else len(whole)
        source = Source.objects.filter(key=key).first()
        if source is None:
            source = Source(key=key, document_file=FILE, **fields)
        elif key == PACKET:
            source.title = fields["title"]
        source.text = whole[first:last]
        source.text_origin = _origin(start, end)
        source.save()
        sources[source.pk] = source
    for model in (Citation, Evidence):
        for row in model.objects.filter(source_id__in=list(sources)):
            _move(model, row, sources)


def _move(model, row, sources):
    """Point ``row`` at the document that holds its quote, its location counted there."""
    if not row.quote:
        return
    target = sources[row.source_id]
    if not find_quote(row.quote, target.text).found:
        holders = [s for s in sources.values() if find_quote(row.quote, s.text).found]
        if len(holders) != 1:
            return  # in none (or several): left for a lead to check, as before
        target = holders[0]
    location = row.location
    if _PARAGRAPH.match(location or ""):
        location = location_of(row.quote, target.text) or location
    if target.pk == row.source_id and location == row.location:
        return
    if model._meta.model_name == "citation":
        twin = model.objects.filter(
            content_type_id=row.content_type_id,
            object_id=row.object_id,
            field=row.field,
            source_id=target.pk,
            quote=row.quote,
        ).exclude(pk=row.pk)
        if twin.exists():
            row.delete()  # the same citation already stands against the right document
            return
    row.source_id, row.location = target.pk, location
    row.save(update_fields=["source", "location"])


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0004_source_known_no_earlier_than"),
        ("workspace", "0003_evidence_quote_check"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
