"""The SQL files, written for DuckDB, as PostgreSQL runs them: one source, transpiled at load time.

Every statement in ``sql/schema`` and ``sql/queries`` is written once, in DuckDB's dialect (most of
it plain SQL both engines accept). For a PostgreSQL store, :func:`to_postgres` transpiles a file
with sqlglot and then applies the few rules below, where the engines genuinely differ and sqlglot
cannot know what we mean. Each rule is tested (tests/sql/test_dialect.py), and any DuckDB construct
outside them that PostgreSQL refuses fails the SQL file tests on PostgreSQL, never in production
only. ``sql/checks`` is not here: the upload checks always run on a scratch in-memory DuckDB.

The genuine differences:

1. DuckDB macros (017 ``upload_counts``, 018 ``ranked_observation``, 019 ``current_action_status``,
   022 ``current_observation``) become SQL functions, STABLE so PostgreSQL inlines them and pushes
   a query's filters inside, as DuckDB does with a macro. A macro's parameters have no types, so
   :data:`MACRO_SIGNATURES` gives each function's arguments and what it returns.
2. ``QUALIFY row_number() OVER (PARTITION BY keys ORDER BY o) = 1`` (the one rule for "current")
   becomes ``SELECT DISTINCT ON (keys) ... ORDER BY keys, o``: the same rows, without the extra
   column sqlglot's general rewrite would add to a function that must return the table's own row.
3. ``len(list)`` of a macro's list argument becomes ``cardinality(list)`` (``length`` is for text).
4. ``TRY_CAST(x AS INTEGER)`` becomes a CASE that casts only text made of digits (PostgreSQL has
   no cast that gives NULL instead of an error).
5. ``$name IS NULL`` is refused: psycopg sends None untyped, and PostgreSQL must know a
   parameter's type even to test it for NULL, so the files write ``CAST($name AS DATE) IS NULL``.
6. ``$name`` parameters become psycopg's ``%(name)s``; lists, ``list_contains`` and ``[]`` become
   arrays, ``= ANY`` and ``ARRAY[]``; DOUBLE and VARCHAR become DOUBLE PRECISION and TEXT (sqlglot).
"""

from __future__ import annotations

from functools import cache

import sqlglot
from psycopg import sql as pgsql
from sqlglot import exp

from metrics.errors import KpiError

MACRO_SIGNATURES: dict[str, tuple[str, str]] = {
    # name: (arguments, what it returns). The macros in sql/schema say what each one means.
    "upload_counts": (
        "upload_id INTEGER, outcome TEXT, as_of_upload INTEGER, undone_uploads INTEGER[]",
        "BOOLEAN",
    ),
    "ranked_observation": ("as_of_upload INTEGER, undone_uploads INTEGER[]", "SETOF observation"),
    "current_action_status": ("as_of_upload INTEGER, undone_uploads INTEGER[]", "SETOF action_status"),
    "current_observation": ("as_of_upload INTEGER, undone_uploads INTEGER[]", "SETOF observation"),
}
LIST_ARGUMENTS = frozenset({"undone_uploads"})  # the macros' list arguments, for rule 3


class UntranslatableSql(KpiError, ValueError):
    """A SQL file uses a DuckDB construct this module has no PostgreSQL rule for."""


@cache
def to_postgres(text: str, name: str = "") -> str:
    """One SQL file's text as PostgreSQL runs it (cached: the files do not change while we run)."""
    # The newline: sqlglot's tokenizer fails on a text that ends with '' after a $parameter.
    statements = [s for s in sqlglot.parse(text + "\n", read="duckdb") if s is not None]
    if len(statements) != 1:
        raise UntranslatableSql(f"{name or 'The SQL file'} must hold exactly one statement.")
    tree = statements[0]
    if isinstance(tree, exp.Create) and str(tree.args.get("kind", "")).upper() == "MACRO":
        return _macro_as_function(tree, name)
    return _generate(tree)


def _generate(tree: exp.Expression) -> str:
    tree = tree.transform(_rewrite)
    return tree.sql(dialect="postgres", comments=False)


def _rewrite(node: exp.Expression) -> exp.Expression:
    """The rules that are not whole statements (2, 3 and 4 of the module's list)."""
    if isinstance(node, exp.Select) and node.args.get("qualify"):
        return _qualify_as_distinct_on(node)
    if isinstance(node, exp.Length) and isinstance(node.this, exp.Column):
        if node.this.name in LIST_ARGUMENTS and not node.this.table:
            return exp.Anonymous(this="cardinality", expressions=[node.this.copy()])
    if isinstance(node, exp.Is) and isinstance(node.this, exp.Placeholder | exp.Parameter):
        raise UntranslatableSql(
            f"${node.this.name} IS NULL: PostgreSQL must know a parameter's type to test it. Write "
            f"CAST(${node.this.name} AS its type) IS NULL (both engines accept it)."
        )
    if isinstance(node, exp.TryCast) and node.to.is_type(*exp.DataType.INTEGER_TYPES):
        text = exp.cast(node.this.copy(), "text")
        digits = exp.RegexpLike(this=text, expression=exp.Literal.string(r"^\s*[+-]?[0-9]+\s*$"))
        return exp.Case(ifs=[exp.If(this=digits, true=exp.cast(node.this.copy(), node.to.copy()))])
    return node


def _qualify_as_distinct_on(select: exp.Select) -> exp.Select:
    """Rule 2: keep the newest row of each key with DISTINCT ON, the PostgreSQL way to say QUALIFY ... = 1."""
    condition = select.args["qualify"].this
    window = condition.this if isinstance(condition, exp.EQ) else None
    if not (
        isinstance(window, exp.Window)
        and isinstance(window.this, exp.RowNumber)
        and isinstance(condition.expression, exp.Literal)
        and condition.expression.name == "1"
        and window.args.get("partition_by")
        and window.args.get("order")
        and not select.args.get("order")
        and not select.args.get("distinct")
    ):
        raise UntranslatableSql(
            "QUALIFY is translated for PostgreSQL only in the form "
            "'QUALIFY row_number() OVER (PARTITION BY ... ORDER BY ...) = 1'."
        )
    keys = [k.copy() for k in window.args["partition_by"]]
    out = select.copy()
    out.set("qualify", None)
    out.set("distinct", exp.Distinct(on=exp.Tuple(expressions=keys)))
    order = [exp.Ordered(this=k.copy()) for k in keys] + [o.copy() for o in window.args["order"].expressions]
    out.set("order", exp.Order(expressions=order))
    return out


def _macro_as_function(tree: exp.Create, name: str) -> str:
    """Rule 1: a macro becomes a STABLE SQL function with the signature MACRO_SIGNATURES gives it."""
    macro = tree.this.this.name
    if macro not in MACRO_SIGNATURES:
        raise UntranslatableSql(
            f"{name or macro}: the macro {macro} has no PostgreSQL signature. Add it to "
            "MACRO_SIGNATURES in metrics/dialect.py."
        )
    arguments, returns = MACRO_SIGNATURES[macro]
    body = tree.expression
    if not isinstance(body, exp.Query):  # a scalar macro: the function selects its expression
        body = exp.select(body)
    # Composed, not formatted: the name is an identifier and the body a quoted literal.
    return _FUNCTION.format(
        name=pgsql.Identifier(macro),
        arguments=pgsql.SQL(arguments),
        returns=pgsql.SQL(returns),
        body=pgsql.Literal(_generate(body)),
    ).as_string(None)


_FUNCTION = pgsql.SQL(
    "CREATE OR REPLACE FUNCTION {name}({arguments}) RETURNS {returns} LANGUAGE sql STABLE AS {body}"
)
