"""Querysets built and compiled once, then run again with other values.

Building a queryset (``filter`` resolves each lookup) and compiling it to SQL costs Django about
0.5 ms a query on this project's models, more than PostgreSQL takes to answer the simple queries
a public page asks (an item by its number, its media, its people). A page asks the same few
queries with other values each time, so ``Prepared`` builds each once with stand-in values,
keeps the SQL and the compiler's description of the columns, and runs that SQL with the real
values through Django's own iterables: the same model instances, values or tuples as the
queryset would give.

Only values the SQL passes as parameters can vary (a key, a code, a list of keys: a list of
another length is compiled again; None, which a builder may test for, too). Everything else the
builder does is fixed in the SQL, so the builder must not read anything but its arguments;
today's date (an embargo) and the database are part of the key.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Sequence

from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone

_serial = itertools.count(1)


class _Marker:
    """Stand-in values of each type, unlike any real value (and recognisable in the parameters)."""

    @staticmethod
    def make(value):
        n = next(_serial)
        if isinstance(value, bool):
            raise TypeError("Prepared: a boolean cannot be told apart in the parameters; fix it in the builder")
        if isinstance(value, int):
            return -(10**15) - n
        if isinstance(value, str):
            return f"\x1fprepared-{n}\x1f"
        raise TypeError(f"Prepared: values must be int, str or a list of them, not {type(value).__name__}")


class _CompiledQuery:
    """Stands in for a queryset's ``Query``: hands out copies of its compiler whose SQL is already
    written, with this run's parameters."""

    def __init__(self, query, compiler, sql: str, params: tuple):
        self._query = query
        self._compiler = compiler
        self._sql = sql
        self._params = params

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        compiler = copy.copy(self._compiler)
        compiler.connection = connection or connections[using]
        sql, params = self._sql, self._params
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        return compiler

    def _refuse(self, *args, **kwargs):
        raise TypeError("a prepared queryset is only to iterate: filter, slice or count in the builder")

    # Anything that would build SQL again from the query (which holds the stand-in values).
    chain = clone = get_count = has_results = exists = get_aggregation = explain = _refuse

    def __getattr__(self, name):
        return getattr(self._query, name)


class _Compiled:
    def __init__(self, queryset: QuerySet, slots: list[tuple[int, int | None]]):
        self.queryset = queryset
        self.compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.slots = slots  # per parameter to fill: (index in params, (argument, element))

    def bind(self, values: Sequence) -> QuerySet:
        params = list(self.params)
        for position, (argument, element) in self.slots:
            value = values[argument]
            params[position] = value if element is None else value[element]
        template = self.queryset
        # A shallow copy (``copy.copy`` would run the query: a queryset pickles its results); the
        # query object is shared, never changed.
        queryset = template.__class__.__new__(template.__class__)
        queryset.__dict__.update(template.__dict__)
        queryset._result_cache = None
        queryset._prefetch_done = False
        queryset._query = _CompiledQuery(template.query, self.compiler, self.sql, tuple(params))
        return queryset


class Prepared:
    """``Prepared(lambda pk: Model.objects.filter(...))``; then ``prepared(value)`` gives the
    queryset for that value, to iterate once (not to filter further).

    Arguments are ints, strings, lists of them, or None.
    """

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._day = None
        self._compiled: dict[tuple, _Compiled] = {}

    def __call__(self, *values) -> QuerySet:
        today = timezone.localdate()
        if today != self._day:  # yesterday's SQL may carry yesterday's date
            self._day, self._compiled = today, {}
        shape = tuple(len(v) if isinstance(v, (list, tuple)) else v is None for v in values)
        key = (shape, connections["default"].vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(values)
        return compiled.bind(values)

    def _compile(self, values: Sequence) -> _Compiled:
        markers, wanted = [], {}
        for argument, value in enumerate(values):
            if isinstance(value, (list, tuple)):
                stand_ins = [_Marker.make(v) for v in value]
                wanted.update({m: (argument, element) for element, m in enumerate(stand_ins)})
                markers.append(stand_ins)
            elif value is None:
                markers.append(None)
            else:
                stand_in = _Marker.make(value)
                wanted[stand_in] = (argument, None)
                markers.append(stand_in)
        queryset = self.build(*markers)
        compiled = _Compiled(queryset, [])
        found = set()
        for position, param in enumerate(compiled.params):
            if isinstance(param, (int, str)) and not isinstance(param, bool) and param in wanted:
                compiled.slots.append((position, wanted[param]))
                found.add(param)
        missing = set(wanted) - found
        if missing:
            raise ValueError(f"Prepared: {len(missing)} value(s) do not reach the SQL as parameters: {compiled.sql}")
        return compiled
