"""The public data as a Frictionless Data Package: CSVs with a table schema each, a README
with the stage rubric and the codebook, datapackage.json (with the package's format
number) and SHA-256 checksums.

What goes in is decided in ``contents``; what each table and field means in ``codebook``.
Workspace data has no table here at all.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import io
import json

from common.spreadsheet import SafeWriter

from .codebook import FORMAT, FORMAT_KEY, TABLES, Table
from .contents import table_rows

LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}
CHECKSUMS = "SHA256SUMS"


def _csv(table: Table, rows) -> bytes:
    buffer = io.StringIO(newline="")
    writer = SafeWriter(buffer, lineterminator="\n")
    writer.writerow([field.name for field in table.fields])
    for row in rows:
        writer.writerow("" if value is None else _cell(value) for value in row)
    return buffer.getvalue().encode()


def _cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, decimal.Decimal):
        return f"{value.normalize():f}"  # 10, not 10.00; 0.4, not 0.4000
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _schema(table: Table) -> dict:
    schema: dict = {
        "fields": [
            {
                "name": f.name,
                "type": f.type,
                "description": f.description,
                **({"constraints": {"required": True}} if f.required else {}),
            }
            for f in table.fields
        ]
    }
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.references:
        schema["foreignKeys"] = [
            {"fields": [field], "reference": {"resource": resource, "fields": [there]}}
            for field, resource, there in table.references
        ]
    return schema


def _readme(number: str, note: str, stages) -> bytes:
    lines = [
        f"# Compact Tracker data, release {number}",
        "",
        note,
        "",
        "The published data of Compact Tracker, which follows district-charter collaboration",
        "compacts across US cities. Every fact carries its source in citations.csv, stated",
        "or inferred. Drafts, ratings and interviews are never part of a release.",
        "",
        f"Package format {FORMAT} (`{FORMAT_KEY}` in datapackage.json).",
        "",
        "## Stage rubric",
        "",
    ]
    lines += [f"{order}. **{name}**: {description}" for order, _, name, description in stages]
    lines += ["", "## Codebook", ""]
    for table in TABLES:
        lines += [f"### {table.path}", "", table.description, ""]
        lines += ["| field | type | meaning |", "| --- | --- | --- |"]
        lines += [f"| {f.name} | {f.type} | {f.description} |" for f in table.fields]
        lines.append("")
    lines += [f"Checksums: {CHECKSUMS} (SHA-256 of every file)."]
    return "\n".join(lines).encode()


def build(*, number: str, note: str, created: str) -> dict[str, bytes]:
    """The package's files, by path, for the data as it stands now."""
    rows = table_rows(as_of=datetime.date.fromisoformat(created[:10]))
    files = {table.path: _csv(table, rows[table.name]) for table in TABLES}
    files["README.md"] = _readme(number, note, rows["stages"])
    descriptor = {
        "name": "compact-tracker",
        "title": "Compact Tracker: district-charter collaboration compacts",
        "version": number,
        FORMAT_KEY: FORMAT,
        "created": created,
        "description": note,
        "licenses": [LICENSE],
        "resources": [
            {
                "name": table.name,
                "title": table.title,
                "description": table.description,
                "path": table.path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "hash": "sha256:" + hashlib.sha256(files[table.path]).hexdigest(),
                "bytes": len(files[table.path]),
                "schema": _schema(table),
            }
            for table in TABLES
        ],
    }
    files["datapackage.json"] = json.dumps(descriptor, indent=2).encode()
    files[CHECKSUMS] = "".join(
        f"{hashlib.sha256(content).hexdigest()}  {path}\n"
        for path, content in sorted(files.items())
    ).encode()
    return files
