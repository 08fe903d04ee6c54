"""Which indexes the database uses: the SQL a piece of code runs, and each query's plan."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, text


@contextmanager
def statements_run(session, keep=lambda statement: True):
    """Collect the (statement, parameters) of every query run in the block, as a list."""
    statements = []
    engine = session.get_bind()

    def listen(conn, cursor, statement, parameters, context, executemany):
        if keep(statement):
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def query_plan(conn, statement: str, parameters, avoid: tuple[str, ...] = ()) -> str:
    """The plan of a query, as one line. On PostgreSQL, ``avoid`` turns planner methods off for
    the transaction (e.g. "seqscan"), since on a few rows it would rightly prefer them."""
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        return " | ".join(row[-1] for row in rows)
    for method in avoid:
        conn.execute(text(f"SET LOCAL enable_{method} = off"))
    return " | ".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, parameters))
