"""Database expressions that behave the same on PostgreSQL and SQLite."""

from django.db.models import CharField, Func, Q


class Normalized(Func):
    """Accent- and case-insensitive form of a text expression, for `contains` searches.

    PostgreSQL: the `unaccent` extension (created by a migration) and `lower`, with the
    separators turned into spaces. SQLite: the Python `common.text.normalize` function,
    registered on each connection (see `common.apps`). Both give the same string for
    the same input on the characters used in French names.
    """

    output_field = CharField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="rd_normalize", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        template = (
            "btrim(regexp_replace(lower(public.unaccent(replace(replace(coalesce("
            "%(expressions)s, ''), 'œ', 'oe'), 'æ', 'ae'))), "
            "'[^a-z0-9]+', ' ', 'g'))"
        )
        return self.as_sql(compiler, connection, template=template, **extra_context)


def with_every_term(queryset, fields, terms):
    """`queryset` narrowed to the rows where each of `terms` (normalised words, see
    common.text.search_terms) appears in at least one of `fields`, accents and case
    ignored."""
    queryset = queryset.alias(**{f"_n_{i}": Normalized(f) for i, f in enumerate(fields)})
    for term in terms:
        condition = Q()
        for i in range(len(fields)):
            condition |= Q(**{f"_n_{i}__contains": term})
        queryset = queryset.filter(condition)
    return queryset


class GroupColumn(Func):
    """A column to GROUP BY, the same on both databases, except that on SQLite a
    query filtered on more than one condition groups it as `+column`.

    SQLite's planner likes to read a GROUP BY column's index in order and fetch each
    row from the table for the other conditions (a random read per row: 120 ms over
    100,000 sites for a filter that keeps 4,000), rather than read the rows the
    filter selects and sort them. The unary plus is SQLite's documented way to keep
    an index from serving a term (https://www.sqlite.org/optoverview.html): with one
    condition only (the sites published), the index scan in order is the right plan
    and is kept."""

    arity = 1

    def as_sqlite(self, compiler, connection, **extra_context):
        filtered = len(compiler.query.where.children) > 1
        template = "+%(expressions)s" if filtered else "%(expressions)s"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_sql(self, compiler, connection, function=None, template=None, **extra_context):
        return super().as_sql(
            compiler, connection, template=template or "%(expressions)s", **extra_context
        )
