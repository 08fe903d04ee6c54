"""The migrations create the models' schema, and the same schema on SQLite and PostgreSQL."""

import re
import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from surveys.models import metadata

#: SQLAlchemy cannot reflect an index on an expression from SQLite (and Alembic so skips it).
SQLITE_EXPRESSION_WARNINGS = (r"Skipped unsupported reflection of expression-based index",
                              r"autogenerate skipping metadata-specified expression-based index")


#: Indexes only PostgreSQL has (``ddl_if``), such as the text's trigrams: SQLite has no such
#: index. The migrations' test below checks them on PostgreSQL.
POSTGRESQL_ONLY = {i.name for t in metadata.tables.values() for i in t.indexes
                   if getattr(i, "_ddl_if", None) is not None and i._ddl_if.dialect == "postgresql"}


def _expression(sql: str) -> str:
    """An indexed expression in one spelling: PostgreSQL writes ``CAST(value AS TEXT)`` back as
    ``(value::text)``; SQLite keeps it as written."""
    sql = re.sub(r"\s+", " ", sql.strip().lower())
    return re.sub(r"cast\((\w+) as (\w+)\)", r"(\1::\2)", sql)


def _split(columns: str) -> list[str]:
    """``a, CAST(b AS TEXT), c`` -> its three parts (commas inside brackets kept)."""
    parts, depth, current = [], 0, ""
    for ch in columns:
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [*parts, current]


def indexes(engine, insp, table: str) -> list:
    """(columns or indexed expressions, unique) of each index, expressions in one spelling.

    A column PostgreSQL's index INCLUDEs is listed after its keys: SQLite, which has no INCLUDE,
    carries it as the last key instead (ix_answer_value's stored value, migration 0021)."""
    if engine.dialect.name != "sqlite":
        return sorted((tuple(_expression(e) for e in (i.get("expressions") or i["column_names"]))
                       + tuple(i.get("dialect_options", {}).get("postgresql_include", ())),
                       bool(i["unique"]))
                      for i in insp.get_indexes(table)
                      # PostgreSQL also lists the index behind each unique constraint.
                      if not i.get("duplicates_constraint") and i["name"] not in POSTGRESQL_ONLY)
    found = {i["name"]: (tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(table)}
    with engine.connect() as conn:  # the skipped ones, from the statement that created each
        for name, sql in conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                           "AND tbl_name = :t AND sql IS NOT NULL"), {"t": table}):
            if name not in found:
                columns = re.search(r"\((.*)\)", sql, re.DOTALL).group(1)
                found[name] = (tuple(_expression(c) for c in _split(columns)),
                               sql.upper().startswith("CREATE UNIQUE"))
    return sorted(found.values())


def describe(url: str) -> dict:
    """Tables, columns (name, nullability, generic type), keys, uniques, indexes and checks."""
    engine = create_engine(url)
    insp = inspect(engine)
    out = {}
    for table in sorted(insp.get_table_names()):
        if table == "alembic_version":
            continue
        with warnings.catch_warnings():  # such indexes are listed by indexes() instead
            warnings.filterwarnings("ignore", SQLITE_EXPRESSION_WARNINGS[0])
            out[table] = _describe_table(engine, insp, table)
    engine.dispose()
    return out


def _describe_table(engine, insp, table: str) -> dict:
    return {
        "columns": sorted((c["name"], c["nullable"], type(c["type"]).__name__.upper()
                           .replace("VARCHAR", "STRING").replace("TEXT", "STRING")
                           .replace("DOUBLE_PRECISION", "FLOAT").replace("REAL", "FLOAT")
                           .replace("TIMESTAMP", "DATETIME").replace("BYTEA", "BLOB"))
                          for c in insp.get_columns(table)),
        "pk": sorted(insp.get_pk_constraint(table)["constrained_columns"]),
        "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"],
                       (f.get("options") or {}).get("ondelete"))
                      for f in insp.get_foreign_keys(table)),
        "uniques": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table)),
        "indexes": indexes(engine, insp, table),
        "checks": sorted(c["name"] for c in insp.get_check_constraints(table)),
    }


def test_sqlite_and_postgresql_schemas_match(sqlite_template, pg_server):
    sqlite = describe(f"sqlite:///{sqlite_template}")
    postgres = describe(pg_server.url("engage_template"))
    assert set(sqlite) == set(postgres) == set(metadata.tables)
    for table in sqlite:
        assert sqlite[table] == postgres[table], table


def _not_carried_as_a_key(obj, name, type_, reflected, compare_to) -> bool:
    """False for an index whose model INCLUDEs a column (PostgreSQL only): SQLite carries it as
    the last key instead, so there the test above compares it, through PostgreSQL. False for an
    index SQLite does not have at all."""
    if type_ == "index" and name in POSTGRESQL_ONLY:
        return False
    model = obj if not reflected else compare_to
    index = model if type_ == "index" and model is not None else None
    if index is None and type_ == "index":  # only in the database: look its name up in the models
        index = next((i for t in metadata.tables.values() for i in t.indexes if i.name == name), None)
    return not (index is not None and index.dialect_options["postgresql"].get("include"))


def test_migrations_match_models(db_url):
    engine = create_engine(db_url)
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn, warnings.catch_warnings():
        # On SQLite the expression indexes are compared by the test above, through PostgreSQL.
        for message in SQLITE_EXPRESSION_WARNINGS if sqlite else ():
            warnings.filterwarnings("ignore", message)
        opts = {"compare_type": True, **({"include_object": _not_carried_as_a_key} if sqlite else {})}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
    engine.dispose()
    assert diff == []


def test_check_constraints_enforced(session):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from surveys.models import Consultation

    session.add(Consultation(slug="x", title="X", status="published"))
    with pytest.raises(IntegrityError):
        session.flush()
