"""`mentor-bot`: run the bot, migrate the database, run a scheduler tick."""

from __future__ import annotations

import argparse
import contextlib
import csv
import logging
import signal
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.config import HINTS, DatabaseSettings, Settings, SettingsError, load_settings
from bot.domain.deliveries import Delivery, DeliveryState

if TYPE_CHECKING:
    from slack_sdk import WebClient
    from sqlalchemy import Engine

    from bot.services import Services

log = logging.getLogger("mentor_bot")

EXIT_USAGE = 2
EXIT_UNAVAILABLE = 1


class StartupError(Exception):
    """Start-up cannot go on; the message says why and what to do, in one line."""

    def __init__(self, message: str, exit_code: int = EXIT_UNAVAILABLE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.handler(args) or 0)
    except SettingsError as error:
        print(f"mentor-bot: {error}", file=sys.stderr)
        return EXIT_USAGE
    except StartupError as error:
        print(f"mentor-bot: {error}", file=sys.stderr)
        return error.exit_code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mentor-bot", description="A Slack bot that runs mentoring programs."
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    run = commands.add_parser(
        "run", help="serve Slack over HTTP (or Socket Mode) with the scheduler"
    )
    run.add_argument(
        "--socket-mode",
        action="store_true",
        help="connect with SLACK_APP_TOKEN instead of serving HTTP",
    )
    run.add_argument(
        "--no-scheduler", action="store_true", help="serve Slack only; run the scheduler elsewhere"
    )
    run.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    run.set_defaults(handler=_run)

    db = commands.add_parser("db", help="database schema: upgrade, current")
    db_commands = db.add_subparsers(title="db commands", metavar="DB_COMMAND", required=True)
    db_commands.add_parser("upgrade", help="apply Alembic migrations up to head").set_defaults(
        handler=_db_upgrade
    )
    db_commands.add_parser(
        "current", help="show the schema revision and the newest one"
    ).set_defaults(handler=_db_current)

    scheduler = commands.add_parser(
        "scheduler", help="run the scheduler and the delivery dispatcher alone (no HTTP)"
    )
    scheduler.set_defaults(handler=_scheduler)

    deliveries = commands.add_parser(
        "deliveries", help="list outbound messages with their state and reason"
    )
    deliveries.add_argument(
        "--state", type=_delivery_state, help="pending, claimed, sent, in_doubt, failed or skipped"
    )
    deliveries.add_argument(
        "--since", type=_instant, help="only those due at or after this ISO-8601 instant"
    )
    deliveries.add_argument(
        "--limit", type=int, default=50, help="how many, newest first (default 50)"
    )
    deliveries.set_defaults(handler=_deliveries)

    announce = commands.add_parser(
        "announce", help="send a message to the program's members by DM, once each"
    )
    announce.add_argument("text", help="the message (Slack mrkdwn)")
    announce.add_argument("--at", type=_instant, help="when to send (ISO-8601; default now)")
    announce.add_argument(
        "--until",
        type=_instant,
        help="skip it for anyone not reached by then (default: 2 days after --at)",
    )
    announce.add_argument(
        "--to", type=_user_ids, help="comma-separated Slack user ids (default: every active member)"
    )
    announce.set_defaults(handler=_announce)

    import_profiles = commands.add_parser(
        "import-profiles", help="create or update mentoring profiles from a CSV file"
    )
    import_profiles.add_argument(
        "file", type=Path, help="CSV (UTF-8, BOM allowed): user_id plus profile columns"
    )
    import_profiles.add_argument("--team", help="workspace id (default: the bot token's own)")
    import_profiles.set_defaults(handler=_import_profiles)

    export_profiles = commands.add_parser(
        "export-profiles", help="write every mentoring profile as CSV (the import's columns)"
    )
    export_profiles.add_argument("--team", help="workspace id (default: the bot token's own)")
    export_profiles.add_argument(
        "--output", type=Path, help="file to write (default: standard output)"
    )
    export_profiles.set_defaults(handler=_export_profiles)

    import_teams = commands.add_parser(
        "import-teams", help="create teams and add their leads and members from a CSV file"
    )
    import_teams.add_argument(
        "file", type=Path, help="CSV (UTF-8, BOM allowed) with columns team,user_id,role[,channel]"
    )
    import_teams.add_argument("--team", help="workspace id (default: the bot token's own)")
    import_teams.set_defaults(handler=_import_teams)

    export_digest = commands.add_parser(
        "export-digest", help="a team's digest numbers (or the whole program's) as CSV"
    )
    export_digest.add_argument("--name", help="the team's name (default: the whole program)")
    export_digest.add_argument("--weeks", type=int, default=4, help="weeks covered (default 4)")
    export_digest.add_argument("--team", help="workspace id (default: the bot token's own)")
    export_digest.set_defaults(handler=_export_digest)

    commands.add_parser(
        "new-encryption-key", help="print a new key for MENTOR_BOT_ENCRYPTION_KEY"
    ).set_defaults(handler=_new_encryption_key)
    commands.add_parser(
        "rotate-tokens",
        help="re-encrypt every stored workspace token with the first MENTOR_BOT_ENCRYPTION_KEY key",
    ).set_defaults(handler=_rotate_tokens)

    demo = commands.add_parser(
        "demo", help="try the bot in a console: a local stand-in for Slack, seeded people"
    )
    demo.add_argument("--verbose", action="store_true", help="show the bot's log lines too")
    demo.set_defaults(handler=_demo)

    tick = commands.add_parser(
        "tick", help="run one scheduler tick (everything due at an instant) and exit"
    )
    tick.add_argument(
        "--at",
        type=_instant,
        help="ISO-8601 instant, e.g. 2026-11-27T16:00:00+09:00 (default: now; no offset means UTC)",
    )
    tick.set_defaults(handler=_tick)
    return parser


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO-8601 instant ({error}); e.g. 2026-11-27T16:00:00+09:00"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _delivery_state(text: str) -> DeliveryState:
    try:
        return DeliveryState(text.strip().lower())
    except ValueError:
        choices = ", ".join(state.value for state in DeliveryState)
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a delivery state; use one of {choices}"
        ) from None


def _user_ids(text: str) -> tuple[str, ...]:
    ids = tuple(part.strip() for part in text.split(",") if part.strip())
    bad = [i for i in ids if not (i[:1] in ("U", "W") and i.isalnum() and i.isupper())]
    if bad or not ids:
        raise argparse.ArgumentTypeError(
            f"{(bad or [text])[0]!r} is not a Slack user id (e.g. U012ABC)"
        )
    return ids


def _demo(args: argparse.Namespace) -> int:
    from bot.demo.app import run_demo

    return run_demo(verbose=args.verbose)


def _db_upgrade(_args: argparse.Namespace) -> int:
    from storage.migrate import schema_status, upgrade_to_head

    engine = _engine(load_settings(DatabaseSettings))
    upgrade_to_head(engine)
    print(f"Database schema is at {schema_status(engine).head} (head).")
    return 0


def _db_current(_args: argparse.Namespace) -> int:
    from storage.migrate import schema_status

    status = schema_status(_engine(load_settings(DatabaseSettings)))
    print(f"current: {status.current or 'empty'}\nhead: {status.head}")
    return 0 if status.up_to_date else 1


@dataclass
class _Wired:
    settings: Settings
    engine: Engine
    client: WebClient
    clock: Clock
    services: Services


def _wire(clock: Clock | None = None) -> _Wired:
    """Settings, a migrated database and the services, for commands that do not serve HTTP."""
    from bot.bootstrap import build_services, build_slack_client
    from bot.clock import SystemClock

    settings = load_settings(Settings)
    engine = _engine(settings)
    _ensure_schema(engine)
    client = build_slack_client(settings)
    clock = clock or SystemClock()
    services = build_services(settings, engine=engine, clock=clock, slack_client=client)
    return _Wired(settings, engine, client, clock, services)


def _tick(args: argparse.Namespace) -> int:
    """The scheduler's work, once, as of one instant: queue what is due, then send it."""
    from bot.clock import FrozenClock, SystemClock

    wired = _wire(FrozenClock(args.at or SystemClock().now()))
    report = wired.services.ticks.run_tick(wired.clock.now())
    sent = wired.services.dispatcher.dispatch_due()
    queued = ", ".join(f"{name}: {count}" for name, count in report.done.items() if count)
    outcomes = ", ".join(f"{state.value}: {count}" for state, count in sent.outcomes.items())
    print(
        f"tick at {report.at.isoformat()}: queued {queued or 'nothing'}; "
        f"sent {outcomes or 'nothing'}"
    )
    return 0


def _scheduler(_args: argparse.Namespace) -> int:
    from bot.bootstrap import build_scheduler_runner

    wired = _wire()
    runner = build_scheduler_runner(
        wired.settings, wired.services, wired.engine, wired.clock, wired.client
    )
    signal.signal(signal.SIGTERM, _exit_on_signal)
    runner.start()
    try:
        while True:
            time.sleep(1)
    except (SystemExit, KeyboardInterrupt):
        pass
    finally:
        runner.stop()
        wired.engine.dispose()
        log.info("stopped")
    return 0


def _deliveries(args: argparse.Namespace) -> int:
    rows = _wire().services.deliveries.list(state=args.state, since=args.since, limit=args.limit)
    print(format_deliveries(rows))
    return 0


def _announce(args: argparse.Namespace) -> int:
    from bot.domain.errors import UserFacingError

    wired = _wire()
    team_id = _workspace_of(wired.client, wired.settings)
    try:
        announcement = wired.services.announcements.schedule(
            team_id=team_id,
            text=args.text,
            send_at=args.at,
            expires_at=args.until,
            audience=args.to,
        )
    except UserFacingError as error:
        raise StartupError(error.message.format(**error.values), EXIT_USAGE) from None
    who = ", ".join(announcement.audience) if announcement.audience else "every active member"
    print(
        f"announcement {announcement.id} to {who} at {announcement.send_at.isoformat()} "
        f"(skipped for anyone not reached by {announcement.expires_at.isoformat()})"
    )
    return 0


def _import_profiles(args: argparse.Namespace) -> int:
    """Good rows are stored (new or updated), bad ones listed by line; exit 1 if any was bad."""
    from bot import profile_csv

    try:
        with args.file.open(encoding="utf-8-sig", newline="") as csv_file:
            rows = list(profile_csv.read_rows(csv_file))
    except (OSError, UnicodeDecodeError) as error:
        raise StartupError(f"cannot read {args.file} ({_first_line(error)}).", EXIT_USAGE) from None
    except profile_csv.BadHeader as error:
        raise StartupError(f"{args.file}: {error}", EXIT_USAGE) from None
    wired = _wire()
    team_id = args.team or _workspace_of(wired.client, wired.settings)
    report = wired.services.profiles.import_rows(team_id, rows)
    for problem in report.errors:
        print(f"line {problem.line}: {problem.field}: {problem.message}")
    bad = len(report.bad_lines)
    print(
        f"{args.file}: {report.imported} new, {report.updated} updated, "
        f"{bad} {'row' if bad == 1 else 'rows'} not imported"
    )
    return 1 if bad else 0


def _import_teams(args: argparse.Namespace) -> int:
    """Good rows are stored, bad ones listed by line; exit 1 if any was bad."""
    from bot.services.teams import TeamRow

    columns = ("team", "user_id", "role", "channel")
    try:
        with args.file.open(encoding="utf-8-sig", newline="") as csv_file:
            reader = csv.DictReader(csv_file)
            header = [name.strip() for name in reader.fieldnames or []]
            if not {"team", "user_id", "role"} <= set(header) or set(header) - set(columns):
                raise StartupError(
                    f"{args.file}: the first line must be the columns {','.join(columns)} "
                    "(channel is optional)",
                    EXIT_USAGE,
                )
            reader.fieldnames = header
            rows = [
                TeamRow(reader.line_num, *((row.get(c) or "").strip() for c in columns))
                for row in reader
                if any((value or "").strip() for value in row.values())
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise StartupError(f"cannot read {args.file} ({_first_line(error)}).", EXIT_USAGE) from None
    wired = _wire()
    team_id = args.team or _workspace_of(wired.client, wired.settings)
    report = wired.services.teams.import_rows(team_id, rows)
    for line, problem in report.errors:
        print(f"line {line}: {problem}")
    print(
        f"{args.file}: {report.teams_created} teams created, {report.people_added} people added, "
        f"{len(report.errors)} rows not imported"
    )
    return 1 if report.errors else 0


def _export_digest(args: argparse.Namespace) -> int:
    """The numbers of `/mentor digest` as CSV on standard output, as an admin sees them."""
    from bot.digest_csv import write_digest
    from bot.domain.errors import UserFacingError
    from bot.domain.members import Member

    wired = _wire()
    team_id = args.team or _workspace_of(wired.client, wired.settings)
    admin = Member(team_id=team_id, user_id="cli", is_admin=True)
    try:
        digest = wired.services.digests.for_viewer(admin, args.name, args.weeks)
    except UserFacingError as error:
        message = error.message.format(**error.values).replace("`", "")
        raise StartupError(message, EXIT_USAGE) from None
    write_digest(sys.stdout, digest)
    return 0


def _export_profiles(args: argparse.Namespace) -> int:
    from bot import profile_csv

    wired = _wire()
    team_id = args.team or _workspace_of(wired.client, wired.settings)
    profiles = wired.services.profiles.export(team_id)
    if args.output is None:
        profile_csv.write_profiles(sys.stdout, profiles)
    else:  # with a BOM, so Excel reads Korean intros as UTF-8
        with args.output.open("w", encoding="utf-8-sig", newline="") as csv_file:
            profile_csv.write_profiles(csv_file, profiles)
        print(f"{len(profiles)} profiles written to {args.output}", file=sys.stderr)
    return 0


def _new_encryption_key(_args: argparse.Namespace) -> int:
    from storage.token_cipher import TokenCipher

    print(TokenCipher.new_key())
    return 0


def _rotate_tokens(_args: argparse.Namespace) -> int:
    """Key rotation: put the new key first in MENTOR_BOT_ENCRYPTION_KEY, run this, drop the old."""
    from storage.token_cipher import TokenKeyError

    wired = _wire()
    if not wired.services.workspaces.multi_workspace:
        raise StartupError(
            "rotate-tokens needs multi-workspace mode: set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET "
            "and MENTOR_BOT_ENCRYPTION_KEY.",
            EXIT_USAGE,
        )
    try:
        count = wired.services.workspaces.rotate_keys()
    except TokenKeyError as error:
        raise StartupError(f"nothing was changed: {error}.", EXIT_USAGE) from None
    print(f"{count} workspace tokens re-encrypted with the first key")
    return 0


def _workspace_of(client: WebClient, settings: Settings) -> str:
    if settings.oauth_enabled:
        raise StartupError(
            "in multi-workspace mode there is no single workspace: pass --team T...", EXIT_USAGE
        )
    with _slack_problems_explained(settings):
        return str(client.auth_test()["team_id"])


def format_deliveries(rows: Sequence[Delivery]) -> str:
    if not rows:
        return "no deliveries"
    header = ("id", "due (UTC)", "state", "kind", "to", "tries", "why")
    lines = [header] + [
        (
            str(d.id),
            d.due_at.strftime("%Y-%m-%d %H:%M"),
            d.state.value,
            d.key.kind,
            d.key.recipient,
            str(d.attempts),
            d.reason or d.last_error or "",
        )
        for d in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def _run(args: argparse.Namespace) -> int:
    from bot.bootstrap import build_container, build_scheduler_runner

    settings = load_settings(Settings)
    if args.socket_mode and settings.slack_app_token is None:
        raise SettingsError(f"SLACK_APP_TOKEN is missing: set it to {HINTS['SLACK_APP_TOKEN']}.")
    engine = _engine(settings)
    _ensure_schema(engine)
    container = _build_container_or_explain(build_container, settings, engine)
    scheduler = None
    if not args.no_scheduler:
        scheduler = build_scheduler_runner(
            settings, container.services, engine, container.clock, container.slack_client
        )
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        if scheduler is not None:
            scheduler.start()
        if args.socket_mode:
            _serve_socket_mode(container.bolt_app, settings)
        else:
            _serve_http(container.web_app, args.host, settings.port)
    finally:
        if scheduler is not None:
            scheduler.stop()
        container.close()
        log.info("stopped")
    return 0


def _serve_http(web_app: object, host: str, port: int) -> None:
    from bot.server import create_http_server

    server = create_http_server(web_app, host=host, port=port)
    log.info(
        "listening on http://%s:%s (POST /slack/events, GET /healthz)",
        server.effective_host,
        server.effective_port,
    )
    server.run()  # returns on SIGTERM/SIGINT after in-flight requests finish


def _serve_socket_mode(bolt_app: object, settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    assert settings.slack_app_token is not None
    handler = SocketModeHandler(bolt_app, settings.slack_app_token.get_secret_value())  # type: ignore[arg-type]
    try:
        handler.start()
    except (SystemExit, KeyboardInterrupt):
        handler.close()


def _exit_on_signal(signum: int, _frame: FrameType | None) -> None:
    log.info("received %s, shutting down", signal.Signals(signum).name)
    raise SystemExit(0)


def _engine(settings: DatabaseSettings):  # type: ignore[no-untyped-def]
    from storage.db import create_db_engine

    return create_db_engine(settings.database_url)


def _ensure_schema(engine) -> None:  # type: ignore[no-untyped-def]
    """SQLite migrates itself; PostgreSQL is shared, so an old schema is the operator's call."""
    from sqlalchemy.exc import OperationalError

    from storage.migrate import schema_status, upgrade_to_head

    try:
        if engine.dialect.name == "sqlite":
            upgrade_to_head(engine)
            return
        status = schema_status(engine)
    except OperationalError as error:
        raise StartupError(
            f"cannot reach the database at DATABASE_URL ({_first_line(error.orig)})."
        ) from None
    if not status.up_to_date:
        raise StartupError(
            f"the database schema is at {status.current or 'empty'} but this version needs "
            f"{status.head}: run `mentor-bot db upgrade` first.",
            EXIT_USAGE,
        )


def _build_container_or_explain(build, settings: Settings, engine):  # type: ignore[no-untyped-def]
    with _slack_problems_explained(settings):
        return build(settings, engine=engine)


@contextlib.contextmanager
def _slack_problems_explained(settings: Settings) -> Iterator[None]:
    """Slack refusing the token or not answering at start-up: one line, no traceback."""
    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackApiError, SlackClientError

    try:
        yield
    except (BoltError, SlackApiError) as error:
        why = error.response.get("error") if isinstance(error, SlackApiError) else error
        raise StartupError(
            f"Slack did not accept SLACK_BOT_TOKEN ({_first_line(why)}).", EXIT_USAGE
        ) from None
    except (SlackClientError, OSError) as error:
        raise StartupError(
            f"cannot reach Slack at SLACK_API_URL={settings.slack_api_url} ({_first_line(error)})."
        ) from None


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


if __name__ == "__main__":
    sys.exit(main())
