"""`mentor-bot import-profiles` / `export-profiles` as an operator runs them."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from storage.db import create_db_engine, create_session_factory
from storage.models import ProfileRow
from tests.support.fake_slack import FakeSlack
from tests.support.process import clean_env, mentor_bot
from tests.support.running_bot import BOT_TOKEN, SIGNING_SECRET

HEADER = (
    "user_id,role,background,track,skills_offered,skills_wanted,move_from,move_to,"
    "working_hours,timezone,languages,capacity,intro,org_unit,manager_id"
)
GOOD_AND_BAD = "\n".join(
    [
        HEADER,
        "U111,mentor,ml-engineer,llm-apps,rag;model-serving;Vector DBs,,,,10:00-19:00,Asia/Seoul,"
        'ko;en,2,"RAG in production, 안녕하세요",Search,U0MGR',
        "U222,mentee,backend,llm-apps,,rag;fine-tuning,backend,llm-apps,9-6pm,America/New_York,"
        "en,0,,,",
        "U333,mentee,backend,mlops,,python,,,,Europe/Berlin,en,,,Platform,",
        "U444,mentor,chef,llm-apps,,,,,,UTC,en,0,,,",
        "",
    ]
)


def env(fake_slack: FakeSlack, tmp_path: Path) -> dict[str, str]:
    return clean_env(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_slack.url,
        DATABASE_URL=f"sqlite:///{tmp_path}/bot.db",
    )


def stored(tmp_path: Path) -> list[ProfileRow]:
    engine = create_db_engine(f"sqlite:///{tmp_path}/bot.db")
    try:
        with create_session_factory(engine)() as session:
            return list(session.scalars(select(ProfileRow).order_by(ProfileRow.user_id)))
    finally:
        engine.dispose()


def test_import_stores_good_rows_reports_bad_lines_and_exits_1(fake_slack, tmp_path):
    source = tmp_path / "profiles.csv"
    source.write_text(GOOD_AND_BAD, encoding="utf-8-sig")  # as Excel saves it: with a BOM

    result = mentor_bot(
        "import-profiles",
        str(source),
        "--team",
        "T111",
        env=env(fake_slack, tmp_path),
        cwd=tmp_path,
    )

    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "line 3: working_hours: Working hours look like 09:00-18:00; “9-6pm” is not that.",
        "line 5: background: “chef” is not a background on the list. Use one of: backend, "
        "frontend, data-engineer, devops, ml-engineer, ml-researcher, data-scientist, student, "
        "other.",
        "line 5: capacity: As a mentor, say how many mentees you can take at once (1 to 10).",
        f"{source}: 2 new, 0 updated, 2 rows not imported",
    ]
    rows = stored(tmp_path)
    assert [(r.team_id, r.user_id) for r in rows] == [("T111", "U111"), ("T111", "U333")]
    assert rows[0].intro == "RAG in production, 안녕하세요"
    assert (rows[0].org_unit, rows[0].manager_id) == ("Search", "U0MGR")
    assert not fake_slack.calls_to("auth.test")  # --team given: Slack is not asked


def test_reimport_updates_and_export_round_trips(fake_slack, tmp_path):
    source = tmp_path / "profiles.csv"
    source.write_text(GOOD_AND_BAD, encoding="utf-8")
    environment = env(fake_slack, tmp_path)
    mentor_bot("import-profiles", str(source), "--team", "T111", env=environment, cwd=tmp_path)
    fixed = GOOD_AND_BAD.replace("9-6pm", "09:00-18:00").replace(",chef,", ",backend,")
    fixed = fixed.replace("UTC,en,0", "UTC,en,3")
    source.write_text(fixed, encoding="utf-8")

    again = mentor_bot(
        "import-profiles", str(source), "--team", "T111", env=environment, cwd=tmp_path
    )

    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.strip() == f"{source}: 2 new, 2 updated, 0 rows not imported"
    assert [r.user_id for r in stored(tmp_path)] == ["U111", "U222", "U333", "U444"]

    exported = tmp_path / "export.csv"
    result = mentor_bot(
        "export-profiles",
        "--team",
        "T111",
        "--output",
        str(exported),
        env=environment,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    with exported.open(encoding="utf-8-sig", newline="") as csv_file:
        table = list(csv.DictReader(csv_file))
    assert ",".join(table[0]) == HEADER
    assert table[0]["skills_offered"] == "rag;model-serving;vector dbs"
    assert table[0]["languages"] == "ko;en"

    before = [
        (r.user_id, r.skills_offered, r.capacity, r.intro, r.timezone) for r in stored(tmp_path)
    ]
    round_trip = mentor_bot(
        "import-profiles", str(exported), "--team", "T111", env=environment, cwd=tmp_path
    )
    assert round_trip.returncode == 0, round_trip.stdout
    assert round_trip.stdout.strip().endswith("0 new, 4 updated, 0 rows not imported")
    after = [
        (r.user_id, r.skills_offered, r.capacity, r.intro, r.timezone) for r in stored(tmp_path)
    ]
    assert after == before


def test_export_without_a_team_uses_the_tokens_workspace_and_writes_to_stdout(fake_slack, tmp_path):
    source = tmp_path / "profiles.csv"
    source.write_text(f"{HEADER}\nU333,mentee,backend,mlops,,,,,,,,,,,\n", encoding="utf-8")
    environment = env(fake_slack, tmp_path)

    imported = mentor_bot("import-profiles", str(source), env=environment, cwd=tmp_path)
    exported = mentor_bot("export-profiles", env=environment, cwd=tmp_path)

    assert imported.returncode == exported.returncode == 0, imported.stderr + exported.stderr
    [row] = stored(tmp_path)
    assert row.team_id == fake_slack.team_id
    lines = exported.stdout.splitlines()
    assert lines == [HEADER, "U333,mentee,backend,mlops,,,,,09:00-18:00,UTC,en,0,,,"]


def test_a_file_with_an_unknown_column_is_refused_before_anything_is_stored(fake_slack, tmp_path):
    source = tmp_path / "profiles.csv"
    source.write_text("user_id,role,favourite_colour\nU111,mentee,blue\n", encoding="utf-8")

    result = mentor_bot(
        "import-profiles",
        str(source),
        "--team",
        "T111",
        env=env(fake_slack, tmp_path),
        cwd=tmp_path,
    )

    assert result.returncode == 2
    assert "unknown column(s) favourite_colour; the columns are user_id, role," in result.stderr
    assert "Traceback" not in result.stderr
