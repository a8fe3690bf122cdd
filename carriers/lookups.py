"""`field__any_of=[...]`: membership in a long list of values as one parameter.

`field__in` sends one SQL parameter per value; for a 20,000-TN project port that is a
statement of 20,000 placeholders that psycopg splits and PostgreSQL parses and plans
(about a second together). On PostgreSQL this lookup sends `field = ANY(%s)` with the
list as one array; elsewhere it is the ordinary `IN (...)`.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import BigAutoField, CharField, Lookup


@CharField.register_lookup
class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def _values(self):
        values = [str(value) for value in self.rhs]
        if not values:
            raise EmptyResultSet
        return values

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = self._values()
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, self._values()]


@BigAutoField.register_lookup
class IdAnyOf(AnyOf):
    """`pk__any_of=[...]` for the project's primary keys (bigint): the ids as one array."""

    def _values(self):
        values = [int(value) for value in self.rhs]
        if not values:
            raise EmptyResultSet
        return values
