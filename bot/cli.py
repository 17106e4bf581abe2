"""`mentor-bot`: run the bot, migrate the database, run a scheduler tick."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from types import FrameType

from bot.config import HINTS, DatabaseSettings, Settings, SettingsError, load_settings

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


def _tick(args: argparse.Namespace) -> int:
    from bot.bootstrap import build_services, build_slack_client
    from bot.clock import SystemClock

    settings = load_settings(Settings)
    engine = _engine(settings)
    _ensure_schema(engine)
    clock = SystemClock()
    services = build_services(
        settings, engine=engine, clock=clock, slack_client=build_slack_client(settings)
    )
    report = services.ticks.run_tick(args.at or clock.now())
    done = ", ".join(f"{name}: {count}" for name, count in report.done.items()) or "nothing was due"
    print(f"tick at {report.at.isoformat()}: {done}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from bot.bootstrap import build_container
    from bot.scheduling import build_scheduler

    settings = load_settings(Settings)
    if args.socket_mode and settings.slack_app_token is None:
        raise SettingsError(f"SLACK_APP_TOKEN is missing: set it to {HINTS['SLACK_APP_TOKEN']}.")
    engine = _engine(settings)
    _ensure_schema(engine)
    container = _build_container_or_explain(build_container, settings, engine)
    scheduler = (
        None if args.no_scheduler else build_scheduler(container.services.ticks, container.clock)
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
            scheduler.shutdown(wait=True)
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
    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackClientError

    try:
        return build(settings, engine=engine)
    except BoltError as error:
        raise StartupError(
            f"Slack did not accept SLACK_BOT_TOKEN ({_first_line(error)}).", EXIT_USAGE
        ) from None
    except (SlackClientError, OSError) as error:
        raise StartupError(
            f"cannot reach Slack at SLACK_API_URL={settings.slack_api_url} ({_first_line(error)})."
        ) from None


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


if __name__ == "__main__":
    sys.exit(main())
