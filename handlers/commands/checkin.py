"""`/mentor checkin [history | time <day> <HH:MM>]`, `/mentor pause until <date>`,
`/mentor skip`, `/mentor resume`."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.checkins import WEEKDAYS, parse_checkin_time
from bot.domain.commands import MentorCommand
from bot.domain.dates import format_iso, parse_user_date
from bot.domain.errors import InvalidInput
from bot.domain.i18n_markers import N_
from bot.domain.members import Member
from bot.i18n import Translate
from bot.services import Services
from handlers.blocks import checkins as checkin_blocks
from handlers.blocks import help as help_blocks
from handlers.commands.answers import Answer, SlashRequest
from handlers.views.checkins import open_checkin_form

PAUSE_OFFERED = timedelta(days=28)
""""Pause for 4 weeks" on the offer sent after three missed check-ins."""


def local_today(clock: Clock, member: Member) -> date:
    """The person's own today: a date they type is read against it."""
    return clock.now().astimezone(ZoneInfo(member.timezone)).date()


def _notice(text: str) -> Answer:
    return Answer(text, help_blocks.build_notice_blocks(text))


def checkin_route(
    cmd: MentorCommand, member: Member, services: Services, _: Translate, req: SlashRequest
) -> Answer:
    word = cmd.args[0].lower() if cmd.args else ""
    if word == "history":
        return Answer(*checkin_blocks.build_history(services.checkins.history(member), _))
    if word == "time":
        weekday, at = parse_checkin_time(cmd.rest[len(cmd.args[0]) :])
        schedule = services.checkins.set_time(member, weekday, at)
        text = _("Your check-in now comes on {day} at {time}, your time.").format(
            day=_(WEEKDAY_NAMES[WEEKDAYS[schedule.weekday]]), time=f"{schedule.at:%H:%M}"
        )
        return _notice(text)
    if word:
        raise InvalidInput(_UNKNOWN_CHECKIN, word=word[:40])
    checkin = services.checkins.current(member)
    return Answer(
        "", [], after_ack=lambda: open_checkin_form(req.client, req.trigger_id, member, checkin)
    )


def pause_route(
    cmd: MentorCommand, member: Member, services: Services, _: Translate, req: SlashRequest
) -> Answer:
    typed = cmd.rest
    if cmd.args and cmd.args[0].lower() == "until":
        typed = cmd.rest[len(cmd.args[0]) :].strip()
    if not typed:
        return _notice(
            _(
                "Say until when, e.g. `/mentor pause until 2026-12-31` or `/mentor pause until in "
                "4 weeks`."
            )
        )
    until = parse_user_date(typed, today=local_today(req.clock, member))
    return _notice(paused_text(services.checkins.pause(member, until), _))


def paused_text(until: date, _: Translate) -> str:
    return _(
        "Paused until {date}: no check-ins until then; they start again by themselves. "
        "`/mentor resume` starts them sooner."
    ).format(date=format_iso(until))


def skip_route(
    _cmd: MentorCommand, member: Member, services: Services, _: Translate, _req: SlashRequest
) -> Answer:
    week = services.checkins.skip_this_week(member)
    return _notice(_("Skipped your check-in for {week}. See you next week!").format(week=week))


def resume_route(
    _cmd: MentorCommand, member: Member, services: Services, _: Translate, _req: SlashRequest
) -> Answer:
    services.checkins.resume(member)
    return _notice(_("Your weekly check-ins are on again. The next one comes at its usual time."))


WEEKDAY_NAMES = {
    "mon": N_("Monday"),
    "tue": N_("Tuesday"),
    "wed": N_("Wednesday"),
    "thu": N_("Thursday"),
    "fri": N_("Friday"),
    "sat": N_("Saturday"),
    "sun": N_("Sunday"),
}


_UNKNOWN_CHECKIN = N_(
    "`/mentor checkin {word}` is not something I know. Try `/mentor checkin`, "
    "`/mentor checkin history` or `/mentor checkin time fri 10:00`."
)
