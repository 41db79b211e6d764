"""ORM queries compiled once per process and database, run with new values (issue 16).

The requests parents make most (a thumbnail: the user, then the photo) spent more CPU in
Django building and compiling their queries, with their ``EXISTS`` subqueries, than the database
spent running them (bench/pages.py, Server-Timing). ``Compiled`` builds such a query with the
ORM once, with marker values in place of the ones that change between requests, and then runs
the compiled SQL with the real values put where the markers were. The query stays written (and
reviewed) as ORM code; only its compilation is kept.

Only for queries whose SQL does not depend on the values (no ``None`` that turns into
``IS NULL``, no lists whose length changes the SQL): each marker must appear among the compiled
parameters, or ``Compiled`` refuses to run (fail closed: a query it cannot fill is an error, not
a different query).
"""

from collections.abc import Callable
from datetime import datetime

from django.db import connections, router


class Compiled:
    def __init__(self, model, build: Callable, **marks):
        """``build(**marks)`` returns a queryset of ``model``; ``marks`` are values no real
        request uses (an id no row has, a code that cannot occur, a moment long past)."""
        self.model = model
        self.build = build
        self.marks = marks
        self._compiled: dict[str, tuple[str, list, dict]] = {}

    def _adapt(self, ops, value):
        return ops.adapt_datetimefield_value(value) if isinstance(value, datetime) else value

    def _compile(self, alias: str):
        if alias not in self._compiled:
            ops = connections[alias].ops
            query = self.build(**self.marks).query
            sql, params = query.get_compiler(using=alias).as_sql()
            params = list(params)
            slots = {}
            for name, mark in self.marks.items():
                adapted = self._adapt(ops, mark)
                found = [i for i, param in enumerate(params) if _same(param, adapted)]
                if not found:
                    raise ValueError(f"{name} does not appear in the compiled query")
                for i in found:
                    slots[i] = name
            self._compiled[alias] = (sql, params, slots)
        return self._compiled[alias]

    def rows(self, **values) -> list:
        """The model instances the query finds with these values (annotations as attributes)."""
        alias = router.db_for_read(self.model)
        ops = connections[alias].ops
        sql, params, slots = self._compile(alias)
        filled = list(params)
        for i, name in slots.items():
            filled[i] = self._adapt(ops, values[name])
        return list(self.model._default_manager.db_manager(alias).raw(sql, filled))


def _same(param, mark) -> bool:
    return type(param) is type(mark) and param == mark
