"""The App Home tab: a person's dashboard, drawn from a `HomeSnapshot`.

Slack allows a Home view 100 blocks and a section 3000 characters: every list here is capped,
says how many it left out, and keeps each line short, so the worst case (an admin who mentors,
leads teams and has every goal) stays well inside both (tests/unit/test_home_blocks.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain.goals import Goal
from bot.domain.home import CheckinBlocker, CheckinOutlook, ProfileGap, profile_completeness
from bot.domain.i18n_markers import N_
from bot.domain.profiles import ROLE_LABELS
from bot.i18n import Translate
from bot.services.home import AdminPanel, HomeSnapshot, Partner, Request
from handlers.blocks.checkins import SKIP_REASON_LABELS, STATE_LABELS
from handlers.blocks.goals import CHECKIN_TAPS, STATUS_ICONS, STATUS_LABELS, goal_summary
from handlers.blocks.mrkdwn import SECTION_TEXT, clip_mrkdwn, escape, local_datetime, mention
from handlers.ids import CheckinAction, GoalAction, HomeAction, HomeBlock, MatchAction

MAX_BLOCKS = 100
REQUESTS_SHOWN = 5
GOALS_SHOWN = 10
PARTNERS_SHOWN = 10
TEAMS_SHOWN = 5
PANEL_LINES = 15
WAITING_SHOWN = 40
"""Lines per admin list; at ~120 characters each they fit one section with room to spare."""
GOAL_TITLE_SHOWN = 120
REASON_SHOWN = 80
NOTICE_SHOWN = 1000

GAP_LABELS = {
    ProfileGap.SKILLS_OFFERED: N_("Skills you offer"),
    ProfileGap.SKILLS_WANTED: N_("Skills you want"),
    ProfileGap.CAREER_MOVE: N_("Career move"),
    ProfileGap.INTRO: N_("A short intro for your match"),
    ProfileGap.CAPACITY: N_("Mentees at once"),
}
BLOCKER_TEXTS = {
    CheckinBlocker.NO_PROFILE: N_(
        "No check-ins yet: they start once you have a profile (`/mentor profile`)."
    ),
    CheckinBlocker.OPTED_OUT: N_("No check-ins: you have opted out of the program."),
    CheckinBlocker.NOT_MATCHED: N_(
        "No check-ins for now: a mentor's check-ins start with their first mentee."
    ),
}


def _section(text: str, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(
        block_id=block_id, text=MarkdownTextObject(text=clip_mrkdwn(text, SECTION_TEXT))
    )


def _context(text: str, block_id: str | None = None) -> ContextBlock:
    return ContextBlock(
        block_id=block_id, elements=[MarkdownTextObject(text=clip_mrkdwn(text, 2000))]
    )


def _button(
    text: str, action_id: str, value: str | None = None, style: str | None = None
) -> ButtonElement:
    return ButtonElement(text=text, action_id=action_id, value=value, style=style)


def _lines(lines: Sequence[str], shown: int, _: Translate) -> str:
    text = "\n".join(lines[:shown])
    if len(lines) > shown:
        text += "\n" + _more(len(lines) - shown, _)
    return text


def _joined(items: Sequence[str], shown: int, _: Translate) -> str:
    text = ", ".join(items[:shown])
    if len(items) > shown:
        text += " " + _more(len(items) - shown, _)
    return text


def _more(count: int, _: Translate) -> str:
    return _("… {count} more not shown").format(count=count)


def _clock(at: datetime) -> str:
    return f"{at:%H:%M}"


def _when(at: datetime) -> str:
    """A date and time on the reader's own clock (the snapshot converted it), with the zone."""
    return f"{at:%Y-%m-%d %H:%M} ({at.tzinfo})"


def build_home_view(snapshot: HomeSnapshot, _: Translate, notice: str | None = None) -> View:
    blocks: list[Block] = [
        HeaderBlock(block_id=HomeBlock.HEADER, text=_("Your mentoring home")),
    ]
    if notice:
        blocks.append(_section(_notice(notice), HomeBlock.NOTICE))
    blocks += _profile(snapshot, _)
    blocks += [DividerBlock(), *_matches(snapshot, _)]
    if snapshot.profile is not None or snapshot.goals:
        blocks += [DividerBlock(), *_goals(snapshot, _)]
    blocks += [DividerBlock(), *_checkins(snapshot, _)]
    if snapshot.led_teams:
        blocks += [DividerBlock(), *_lead(snapshot, _)]
    if snapshot.admin is not None:
        blocks += [DividerBlock(), *_admin(snapshot.admin, _)]
    assert len(blocks) <= MAX_BLOCKS, len(blocks)  # the caps above keep it so
    return View(type="home", blocks=blocks)


def _notice(notice: str) -> str:
    """A notice is text the bot wrote (mentions and all), only cut to size."""
    return clip_mrkdwn(notice, NOTICE_SHOWN)


# Profile


def _profile(snapshot: HomeSnapshot, _: Translate) -> list[Block]:
    profile = snapshot.profile
    edit = ActionsBlock(
        block_id=HomeBlock.PROFILE_ACTIONS,
        elements=[
            _button(
                _("Edit profile") if profile else _("Fill in my profile"),
                HomeAction.EDIT_PROFILE,
                style=None if profile else "primary",
            )
        ],
    )
    if profile is None:
        text = _(
            "*Profile*\nYou have no mentoring profile yet. Fill it in to be matched and to get "
            "weekly check-ins."
        )
        return [_section(text, HomeBlock.PROFILE), edit]
    lines = [
        _("*Profile* · {role} · {percent}% complete").format(
            role=_(ROLE_LABELS[profile.role]), percent=profile_completeness(profile)
        ),
        _("Working hours {hours} ({zone})").format(
            hours=profile.working_hours, zone=escape(profile.timezone)
        ),
    ]
    if snapshot.gaps:
        missing = ", ".join(_(GAP_LABELS[gap]) for gap in snapshot.gaps)
        lines.append(_("Still empty: {fields}").format(fields=missing))
    if profile.paused_until is not None and profile.paused_until >= snapshot.today:
        lines.append("⏸ " + _("Paused until {date}").format(date=profile.paused_until.isoformat()))
    return [_section("\n".join(lines), HomeBlock.PROFILE), edit]


# Matches and requests


def _matches(snapshot: HomeSnapshot, _: Translate) -> list[Block]:
    lines = [_partner_line(p, _) for p in snapshot.partners]
    lines += [
        "⏳ "
        + _("Waiting for {mentor} to answer your request").format(mentor=mention(r.other_id))
        + _expires(r, _)
        for r in snapshot.asked
    ]
    if not lines:
        lines = [_("No current match. `/mentor match` shows suggestions.")]
    blocks: list[Block] = [
        _section(_("*Your matches*") + "\n" + _lines(lines, PARTNERS_SHOWN, _), HomeBlock.MATCHES)
    ]
    requests = snapshot.to_answer
    for request in requests[:REQUESTS_SHOWN]:
        blocks += _request(request, _)
    if len(requests) > REQUESTS_SHOWN:
        blocks.append(_context(_more(len(requests) - REQUESTS_SHOWN, _), HomeBlock.MORE))
    return blocks


def _partner_line(partner: Partner, _: Translate) -> str:
    who = (
        _("{person} is your mentor") if partner.is_my_mentor else _("{person} is your mentee")
    ).format(person=mention(partner.user_id))
    parts = [who]
    if partner.local_now is not None:
        parts.append(
            _("their time {time} ({zone})").format(
                time=_clock(partner.local_now), zone=partner.local_now.tzinfo
            )
        )
    if partner.overlap:
        spans = ", ".join(f"{_clock(a)}–{_clock(b)}" for a, b in partner.overlap)
        parts.append(_("working hours overlap {spans} your time").format(spans=spans))
    elif partner.has_profiles:
        parts.append(_("working hours do not overlap"))
    return "• " + " · ".join(parts)


def _expires(request: Request, _: Translate) -> str:
    if request.expires_at is None:
        return ""
    return " · " + _("expires {date}").format(date=local_datetime(request.expires_at))


def _request(request: Request, _: Translate) -> list[Block]:
    block_id = f"{HomeBlock.REQUEST_PREFIX}{request.match_id}"
    text = "📨 " + _("{mentee} asks you to be their mentor").format(
        mentee=mention(request.other_id)
    )
    value = str(request.match_id)
    return [
        _section(text + _expires(request, _), block_id),
        ActionsBlock(
            block_id=f"{block_id}-actions",
            elements=[
                _button(_("Accept"), MatchAction.ACCEPT, value, style="primary"),
                _button(_("Decline"), MatchAction.DECLINE, value),
            ],
        ),
    ]


# Goals


def _goals(snapshot: HomeSnapshot, _: Translate) -> list[Block]:
    goals = snapshot.goals
    if not goals:
        return [
            _section(
                _("*Your goals*") + "\n" + _("No goals in progress. `/mentor goal add` adds one."),
                HomeBlock.GOALS,
            )
        ]
    blocks: list[Block] = [_section(_("*Your goals*"), HomeBlock.GOALS)]
    for goal in goals[:GOALS_SHOWN]:
        blocks += _goal(goal, snapshot, _)
    if len(goals) > GOALS_SHOWN:
        blocks.append(_context(_more(len(goals) - GOALS_SHOWN, _), HomeBlock.MORE))
    return blocks


def _goal(goal: Goal, snapshot: HomeSnapshot, _: Translate) -> list[Block]:
    block_id = f"{HomeBlock.GOAL_PREFIX}{goal.id}"
    title = f"*{goal.number}. {escape(goal.title, GOAL_TITLE_SHOWN)}*"
    taps = [
        _button(
            f"{STATUS_ICONS[status]} {_(STATUS_LABELS[status])}",
            f"{GoalAction.TAP_PREFIX}{status}",
            str(goal.id),
        )
        for status in CHECKIN_TAPS
        if status is not goal.status
    ]
    taps.append(_button(_("Update"), GoalAction.UPDATE, str(goal.id)))
    return [
        _section(f"{title}\n{goal_summary(goal, snapshot.today, _)}", block_id),
        ActionsBlock(block_id=f"{block_id}-actions", elements=taps),
    ]


# Check-ins


def _checkins(snapshot: HomeSnapshot, _: Translate) -> list[Block]:
    outlook = snapshot.outlook
    lines = [_("*Weekly check-in*"), _outlook_line(outlook, _)]
    blocks: list[Block] = [_section("\n".join(lines), HomeBlock.CHECKINS)]
    if snapshot.recent_checkins:
        weeks = []
        for checkin in snapshot.recent_checkins:
            state = _(STATE_LABELS[checkin.state])
            if checkin.skip_reason is not None:
                state += f" ({_(SKIP_REASON_LABELS[checkin.skip_reason])})"
            weeks.append(f"{checkin.week}: {state}")
        history = _("Last check-ins:") + " " + "  ·  ".join(weeks)
        blocks.append(_context(history, HomeBlock.CHECKIN_HISTORY))
    buttons = _checkin_buttons(snapshot, _)
    if buttons:
        blocks.append(ActionsBlock(block_id=HomeBlock.CHECKIN_ACTIONS, elements=buttons))
    return blocks


def _outlook_line(outlook: CheckinOutlook, _: Translate) -> str:
    if outlook.blocker is not None:
        return _(BLOCKER_TEXTS[outlook.blocker])
    assert outlook.next_at is not None
    if outlook.paused_until is not None:
        return _("Paused until {date}: no check-ins until then. The next one comes {when}.").format(
            date=outlook.paused_until.isoformat(), when=_when(outlook.next_at)
        )
    return _("The next one comes {when}.").format(when=_when(outlook.next_at))


def _checkin_buttons(snapshot: HomeSnapshot, _: Translate) -> list[ButtonElement]:
    if snapshot.profile is None:
        return []
    buttons: list[ButtonElement] = []
    if snapshot.open_checkin_id is not None:
        buttons.append(
            _button(
                _("Answer this week's check-in"),
                CheckinAction.OPEN_FORM,
                str(snapshot.open_checkin_id),
                style="primary",
            )
        )
    if snapshot.outlook.paused_until is not None:
        buttons.append(_button(_("Resume check-ins"), HomeAction.RESUME))
    elif snapshot.outlook.blocker is None:
        buttons.append(_button(_("Pause for 4 weeks"), CheckinAction.PAUSE_FOUR_WEEKS))
        if snapshot.can_skip:
            buttons.append(_button(_("Skip this week"), HomeAction.SKIP))
    return buttons


# Leads


def _lead(snapshot: HomeSnapshot, _: Translate) -> list[Block]:
    teams = snapshot.led_teams
    lines = [
        "• " + _("{team}: {count} people").format(team=escape(team.name), count=team.people)
        for team in teams
    ]
    text = _("*Teams you lead*") + "\n" + _lines(lines, TEAMS_SHOWN, _)
    text += "\n" + _("The digest shows how your teams are doing, in numbers only.")
    buttons = [
        _button(_("Digest: {team}").format(team=team.name)[:75], HomeAction.DIGEST, team.name)
        for team in teams[:TEAMS_SHOWN]
    ]
    return [
        _section(text, HomeBlock.LEAD),
        ActionsBlock(block_id=HomeBlock.LEAD_ACTIONS, elements=buttons),
    ]


# Program admins


def _admin(panel: AdminPanel, _: Translate) -> list[Block]:
    waiting = [mention(user_id) for user_id in panel.waiting]
    near = [
        "• "
        + _("{mentor}: {used} of {capacity} places taken").format(
            mentor=mention(load.mentor_id), used=load.used, capacity=load.capacity
        )
        for load in panel.near_capacity
    ]
    stalled = [
        "• "
        + (
            _("{mentor} and {mentee}: {weeks} check-ins missed in a row").format(
                mentor=mention(s.mentor_id), mentee=mention(s.mentee_id), weeks=s.missed_weeks
            )
            if s.expires_at is None
            else _("{mentor} has not answered {mentee}'s request (expires {date})").format(
                mentor=mention(s.mentor_id),
                mentee=mention(s.mentee_id),
                date=local_datetime(s.expires_at),
            )
        )
        for s in panel.stalled
    ]
    failed = [
        "• "
        + _("{person}: {kind} failed ({reason})").format(
            person=mention(f.recipient),
            kind=escape(f.kind, 40),
            reason=escape(f.reason or "?", REASON_SHOWN),
        )
        for f in panel.failed
    ]

    def listing(title: str, items: Sequence[str], text: str, block_id: str) -> SectionBlock:
        return _section(
            _(title).format(count=len(items)) + "\n" + (text if items else _("none")), block_id
        )

    return [
        _section(_("*Program*"), HomeBlock.ADMIN),
        listing(
            N_("*Waiting for a match ({count})*"),
            waiting,
            _joined(waiting, WAITING_SHOWN, _),
            HomeBlock.ADMIN_WAITING,
        ),
        listing(
            N_("*Mentors near capacity ({count})*"),
            near,
            _lines(near, PANEL_LINES, _),
            HomeBlock.ADMIN_CAPACITY,
        ),
        listing(
            N_("*Stalled matches ({count})*"),
            stalled,
            _lines(stalled, PANEL_LINES, _),
            HomeBlock.ADMIN_STALLED,
        ),
        listing(
            N_("*Failed deliveries this week ({count})*"),
            failed,
            _lines(failed, PANEL_LINES, _),
            HomeBlock.ADMIN_FAILED,
        ),
        ActionsBlock(
            block_id=HomeBlock.ADMIN_ACTIONS,
            elements=[
                _button(_("Run a matching round"), HomeAction.RUN_ROUND, style="primary"),
                _button(_("Program digest"), HomeAction.DIGEST),
            ],
        ),
    ]


def build_home_text(_: Translate) -> str:
    return _("Your mentoring home")
