"""SQL helpers shared by the selectors of several apps."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.sql.compiler import SQLCompiler


def ids_in(ids: Sequence[int]) -> RawSQL:
    """``pk__in`` for many ids as one array parameter: a 1,000-id list would otherwise cost
    the ORM a thousand prepared values per query."""
    return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))


# Compiled SQL of values() querysets, by what the SQL depends on (``values_rows``).
_COMPILED_MOST = 256
_compiled: OrderedDict[Hashable, tuple[SQLCompiler, str, tuple, list[str]]] = OrderedDict()
_compiled_lock = threading.Lock()


def values_rows(key: Hashable, build: Callable[[], QuerySet]) -> list[dict]:
    """The rows of ``build()``, a ``values()`` queryset, as its dicts; the SQL it compiles to
    is kept per process under ``key`` (the last 256 keys) and only run on later calls.

    Building and compiling a queryset with several subqueries costs about 5 ms of Python, more
    than PostgreSQL takes to run it. Its SQL depends on the code and on its inputs, never on
    the rows, so it can be kept as Django's cached template loader keeps compiled templates.
    Hence ``key`` must name every input the SQL depends on, content type ids included (a
    flushed test database renumbers them), and ``build`` must not read or write anything (it
    runs only when the key is new). Rows are never kept: every call runs the SQL.
    """
    with _compiled_lock:
        entry = _compiled.get(key)
        if entry is not None:
            _compiled.move_to_end(key)
    if entry is None:
        queryset = build()
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # filtered by an empty list: no rows, and no query to run
            sql, params = "", ()
        # The names a values() queryset gives its columns, as its own iteration takes them.
        names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        entry = (compiler, sql, tuple(params), names)
        with _compiled_lock:
            _compiled[key] = entry
            while len(_compiled) > _COMPILED_MOST:
                _compiled.popitem(last=False)
    compiler, sql, params, names = entry
    if not sql:
        return []
    with connections[compiler.using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if compiler.has_extra_select:  # columns only the ordering needed
        rows = [row[: compiler.col_count] for row in rows]
    # The queryset's own converters, as its iteration would apply them.
    return [dict(zip(names, row, strict=True)) for row in compiler.results_iter(results=[rows])]


def forget_compiled() -> None:
    """Drop every kept SQL (``values_rows``): what a process's first view of each page costs,
    as the benchmarks print it beside the usual figure."""
    with _compiled_lock:
        _compiled.clear()
