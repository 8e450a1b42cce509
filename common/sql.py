"""SQL helpers shared by the selectors of several apps."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.query import get_related_populators


def ids_in(ids: Sequence[int]) -> RawSQL:
    """``pk__in`` for many ids as one array parameter: a 1,000-id list would otherwise cost
    the ORM a thousand prepared values per query."""
    return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))


# Kept SQL ----------------------------------------------------------------------------------
#
# Building and compiling a queryset with several subqueries costs about 5 ms of Python, more
# than PostgreSQL takes to run it. Its SQL depends on the code and on its inputs, never on the
# rows, so it can be kept as Django's cached template loader keeps compiled templates: per
# process, by a key naming every input the SQL depends on, with the inputs that vary per
# request (a city's id) left as parameters. Rows are never kept: every call runs the SQL.

_COMPILED_MOST = 256
_compiled: OrderedDict[Hashable, "_Kept"] = OrderedDict()
_compiled_lock = threading.Lock()

# What ``build`` receives in place of the arguments when the SQL is compiled: values no real
# input has, found again among the compiled parameters to learn where each argument goes.
_MARKER_BASE = -(2**62)


def _marker(position: int, argument: object) -> object:
    if isinstance(argument, bool):
        raise TypeError("a kept SQL's arguments are ids, texts or lists of ids, not booleans")
    if isinstance(argument, int):
        return _MARKER_BASE - position
    if isinstance(argument, str):
        return f"\x1fkept SQL argument {position}\x1f"
    if isinstance(argument, list):  # passed as one array parameter (``ids_in``)
        return [_MARKER_BASE - position]
    raise TypeError(f"a kept SQL cannot take {type(argument).__name__} arguments: key them")


class _Kept:
    """One queryset's compiled SQL, where each argument goes in its parameters, and how its
    rows become what the queryset itself would give."""

    def __init__(self, queryset: QuerySet, markers: list[object]):
        if queryset._prefetch_related_lookups:
            raise ValueError("a kept SQL reads one query: read each prefetch with its own")
        query = queryset.query
        self.compiler = query.get_compiler(queryset.db)
        try:
            self.sql, params = self.compiler.as_sql()
        except EmptyResultSet:  # filtered by an empty list: no rows, and no query to run
            self.sql, params = "", ()
        self.params = list(params)
        self.arguments = [
            (at, position)
            for at, param in enumerate(self.params)
            for position, marker in enumerate(markers)
            if type(param) is type(marker) and param == marker
        ]
        missing = set(range(len(markers))) - {position for _, position in self.arguments}
        if self.sql and missing:
            # The SQL would ignore that argument (it went into the SQL's text, or was
            # expanded: a list must go as one array parameter, with ``ids_in``).
            raise ValueError(f"arguments {sorted(missing)} are not parameters of the SQL")
        # The names a values() queryset gives its columns, as its own iteration takes them.
        self.names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )

    def rows(self, arguments: Sequence[object]) -> list:
        """The rows for these arguments, converted as the queryset's iteration converts
        them."""
        if not self.sql:
            return []
        params = list(self.params)
        for at, position in self.arguments:
            params[at] = arguments[position]
        compiler = self.compiler
        with connections[compiler.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if compiler.has_extra_select:  # columns only the ordering needed
            rows = [row[: compiler.col_count] for row in rows]
        return list(compiler.results_iter(results=[rows]))

    @cached_property
    def _model_reading(self):
        # As django.db.models.query.ModelIterable reads a row into an instance.
        compiler = self.compiler
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, compiler.using)
        return klass_info["model"], init_list, start, end, populators

    def instances(self, arguments: Sequence[object]) -> list[Model]:
        rows = self.rows(arguments)
        if not rows:
            return []
        model, init_list, start, end, populators = self._model_reading
        annotations = self.compiler.annotation_col_map.items()
        db = self.compiler.using
        instances = []
        for row in rows:
            instance = model.from_db(db, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, column in annotations:
                setattr(instance, name, row[column])
            instances.append(instance)
        return instances


def _kept(key: Hashable, build: Callable[..., QuerySet], arguments: Sequence[object]) -> _Kept:
    with _compiled_lock:
        kept = _compiled.get(key)
        if kept is not None:
            _compiled.move_to_end(key)
            return kept
    markers = [_marker(position, argument) for position, argument in enumerate(arguments)]
    kept = _Kept(build(*markers), markers)
    with _compiled_lock:
        _compiled[key] = kept
        while len(_compiled) > _COMPILED_MOST:
            _compiled.popitem(last=False)
    return kept


def values_rows(key: Hashable, build: Callable[..., QuerySet], *arguments: object) -> list[dict]:
    """The rows of ``build(*arguments)``, a ``values()`` queryset, as its dicts; the SQL it
    compiles to is kept per process under ``key`` (the last 256 keys) and only run on later
    calls, with these calls' ``arguments`` as its parameters.

    ``key`` must name every input the SQL depends on other than ``arguments`` (content type
    ids included: a flushed test database renumbers them), and ``build`` must not read or
    write anything (it runs only when the key is new, and then with stand-ins for the
    arguments). An argument is an id, a text or a list of ids that ``build`` passes as one
    parameter (``ids_in``).
    """
    kept = _kept(key, build, arguments)
    return [dict(zip(kept.names, row, strict=True)) for row in kept.rows(arguments)]


def kept_instances(
    key: Hashable, build: Callable[..., QuerySet], *arguments: object
) -> list[Model]:
    """``values_rows`` for a queryset of model instances: its instances, with what it
    selects related and annotates, as iterating it would give them (never its
    ``prefetch_related``: read those with their own kept SQL)."""
    return _kept(key, build, arguments).instances(arguments)


def forget_compiled() -> None:
    """Drop every kept SQL: what a process's first view of each page costs, as the
    benchmarks print it beside the usual figure."""
    with _compiled_lock:
        _compiled.clear()
