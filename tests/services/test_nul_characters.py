"""A NUL (U+0000) in typed text: SQLite stores it like any character; PostgreSQL text cannot
hold it, so its engine drops it from every value written or looked up - the rest is kept."""

from __future__ import annotations

from sqlalchemy import Engine, bindparam, text


def as_stored(engine: Engine, typed: str) -> str:
    """What the backend keeps of `typed`."""
    return typed.replace("\x00", "") if engine.dialect.name == "postgresql" else typed


def test_a_value_with_nul_is_written_and_read_back(engine):
    typed = "a\x00b\x01c\x1b[31m\tmore\n"
    with engine.begin() as connection:
        connection.execute(text("CREATE TEMPORARY TABLE typed (id INTEGER, body TEXT)"))
        connection.execute(text("INSERT INTO typed VALUES (:id, :body)"), {"id": 1, "body": typed})
        connection.execute(  # executemany
            text("INSERT INTO typed VALUES (:id, :body)"),
            [{"id": 2, "body": "\x00"}, {"id": 3, "body": "x\x00"}],
        )
        rows = connection.execute(text("SELECT id, body FROM typed ORDER BY id")).all()
        looked_up = connection.execute(
            text("SELECT id FROM typed WHERE body IN :bodies").bindparams(
                bindparam("bodies", expanding=True)
            ),
            {"bodies": ["x\x00", "y"]},
        ).scalars()

        assert [tuple(row) for row in rows] == [
            (1, as_stored(engine, typed)),
            (2, as_stored(engine, "\x00")),
            (3, as_stored(engine, "x\x00")),
        ]
        assert list(looked_up) == [3]
