"""The places where DuckDB and PostgreSQL genuinely differ, each rule of metrics/dialect.py on its own.

Every SQL file also runs on both engines (test_sql_files.py); these say what each rule does, so a
change to one shows here by name, and that a construct without a rule is refused, not mistranslated.
"""

from __future__ import annotations

import re

import psycopg
import pytest

from metrics.dialect import MACRO_SIGNATURES, UntranslatableSql, to_postgres
from metrics.store import SCHEMA_DIR, sql_text


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_macro_becomes_a_stable_sql_function_with_its_declared_signature():
    macros = [p.stem for p in SCHEMA_DIR.glob("*.sql") if "MACRO" in p.read_text(encoding="utf-8")]
    assert len(macros) == len(MACRO_SIGNATURES) == 4
    for stem in macros:
        out = to_postgres(sql_text(stem), stem)
        name = re.search(r"MACRO (\w+)", sql_text(stem)).group(1)
        arguments, returns = MACRO_SIGNATURES[name]
        assert out.startswith(f'CREATE OR REPLACE FUNCTION "{name}"({arguments}) RETURNS {returns}'), out
        assert "LANGUAGE sql STABLE" in out  # STABLE: PostgreSQL inlines it and pushes filters inside


def test_a_macro_without_a_signature_is_refused_with_what_to_do():
    with pytest.raises(UntranslatableSql, match="MACRO_SIGNATURES"):
        to_postgres("CREATE OR REPLACE MACRO something_new(a) AS a + 1", "099_x")


def test_qualify_row_number_becomes_distinct_on_the_partition():
    out = to_postgres(
        "SELECT o.* FROM observation AS o QUALIFY row_number() OVER (PARTITION BY o.a, o.b ORDER BY o.u DESC) = 1"
    )
    assert (
        _flat(out)
        == "SELECT DISTINCT ON (o.a, o.b) o.* FROM observation AS o ORDER BY o.a, o.b, o.u DESC NULLS LAST"
    )


@pytest.mark.parametrize(
    "qualify",
    [
        "QUALIFY row_number() OVER (PARTITION BY a ORDER BY u) = 2",
        "QUALIFY rank() OVER (PARTITION BY a ORDER BY u) = 1",
        "QUALIFY row_number() OVER (ORDER BY u) = 1",
    ],
)
def test_any_other_qualify_is_refused_not_mistranslated(qualify):
    with pytest.raises(UntranslatableSql, match="QUALIFY"):
        to_postgres(f"SELECT * FROM t {qualify}")  # noqa: S608 - a test's own fixed text


def test_the_length_of_a_list_argument_is_its_cardinality_and_of_text_its_length():
    out = to_postgres("SELECT len(undone_uploads) AS n, len(name) AS m FROM t")
    assert "CARDINALITY(undone_uploads)" in out and "LENGTH(name)" in out


def test_parameters_are_psycopgs_and_one_tested_for_null_must_say_its_type():
    out = to_postgres("SELECT 1 WHERE (CAST($p AS DATE) IS NULL OR d = $p) AND k = $k")
    assert "CAST(%(p)s AS DATE) IS NULL" in out and "%(k)s" in out and "$" not in out
    with pytest.raises(UntranslatableSql, match=r"CAST\(\$p AS its type\) IS NULL"):
        to_postgres("SELECT 1 WHERE $p IS NULL OR d = $p")


def test_lists_become_arrays():
    out = to_postgres(
        "SELECT 1 WHERE list_contains($places, g) AND NOT list_contains(CAST([] AS INTEGER[]), 1)"
    )
    assert "g = ANY(%(places)s)" in out and "CAST(ARRAY[] AS INT[])" in out


def test_try_cast_gives_null_for_text_that_is_not_a_whole_number(postgres):
    out = to_postgres("SELECT TRY_CAST(t AS INTEGER) FROM (VALUES ('12'), ('-3'), ('abc'), (NULL)) AS v(t)")
    url = postgres.create()
    try:
        with psycopg.connect(url) as con:
            assert [r[0] for r in con.execute(out).fetchall()] == [12, -3, None, None]
    finally:
        postgres.drop(url.rsplit("/", 1)[1])


def test_a_text_ending_in_an_empty_string_after_a_parameter_translates():
    assert to_postgres("SELECT 1 WHERE a = $x AND b = ''").endswith("b = ''")
