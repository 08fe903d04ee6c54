"""The migrations create the models' schema, and the same schema on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from surveys.models import metadata


def describe(url: str) -> dict:
    """Tables, columns (name, nullability, generic type), keys, uniques, indexes and checks."""
    engine = create_engine(url)
    insp = inspect(engine)
    out = {}
    for table in sorted(insp.get_table_names()):
        if table == "alembic_version":
            continue
        out[table] = {
            "columns": sorted((c["name"], c["nullable"], type(c["type"]).__name__.upper()
                               .replace("VARCHAR", "STRING").replace("TEXT", "STRING")
                               .replace("DOUBLE_PRECISION", "FLOAT").replace("REAL", "FLOAT")
                               .replace("TIMESTAMP", "DATETIME"))
                              for c in insp.get_columns(table)),
            "pk": sorted(insp.get_pk_constraint(table)["constrained_columns"]),
            "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"],
                           (f.get("options") or {}).get("ondelete"))
                          for f in insp.get_foreign_keys(table)),
            "uniques": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table)),
            "indexes": sorted((tuple(i["column_names"]), bool(i["unique"]))
                              for i in insp.get_indexes(table)
                              # PostgreSQL also lists the index behind each unique constraint.
                              if not i.get("duplicates_constraint")),
            "checks": sorted(c["name"] for c in insp.get_check_constraints(table)),
        }
    engine.dispose()
    return out


def test_sqlite_and_postgresql_schemas_match(sqlite_template, pg_server):
    sqlite = describe(f"sqlite:///{sqlite_template}")
    postgres = describe(pg_server.url("engage_template"))
    assert set(sqlite) == set(postgres) == set(metadata.tables)
    for table in sqlite:
        assert sqlite[table] == postgres[table], table


def test_migrations_match_models(db_url):
    engine = create_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                metadata)
    engine.dispose()
    assert diff == []


def test_check_constraints_enforced(session):
    import pytest
    from sqlalchemy.exc import IntegrityError

    from surveys.models import Consultation

    session.add(Consultation(slug="x", title="X", status="published"))
    with pytest.raises(IntegrityError):
        session.flush()
