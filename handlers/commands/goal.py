"""`/mentor goal [list | add | edit | done | progress | status | milestone | archive | history |
comment]`: parse, one service call, answer ephemerally (or open the goal form after the ack)."""

from __future__ import annotations

from bot.domain.commands import MentorCommand
from bot.domain.goal_command import GoalCommand, GoalVerb, parse_goal_command
from bot.domain.goals import Goal
from bot.domain.members import Member
from bot.i18n import Translate
from bot.services import Services
from handlers.blocks import goals as goal_blocks
from handlers.blocks import help as help_blocks
from handlers.commands.answers import Answer, SlashRequest
from handlers.views.goals import open_goal_form


def goal_route(
    cmd: MentorCommand, member: Member, services: Services, _: Translate, req: SlashRequest
) -> Answer:
    parsed = parse_goal_command(cmd.rest)
    goals = services.goals
    if parsed.verb is GoalVerb.LIST:
        listing = goals.listing(member, parsed.owner_id, include_archived=parsed.include_archived)
        return Answer(*goal_blocks.build_goal_list(listing, _))
    if parsed.opens_form:
        goal = goals.own_goal(member, number=parsed.number) if parsed.number else None
        return Answer(
            "", [], after_ack=lambda: open_goal_form(req.client, req.trigger_id, member, goal)
        )
    if parsed.verb is GoalVerb.ADD:
        return _notice(
            goal_blocks.build_goal_added(goals.add(member, parsed.title, parsed.typed_due), _)
        )
    if parsed.verb is GoalVerb.HISTORY:
        goal, events = goals.history(member, number=parsed.number)
        return Answer(*goal_blocks.build_goal_history(goal, events, _))
    if parsed.verb is GoalVerb.COMMENT:
        goal = goals.comment(member, parsed.text, owner_id=parsed.owner_id, number=parsed.number)
        text = _("Comment sent to {person} on goal {number}.").format(
            person=f"<@{goal.user_id}>", number=goal.number
        )
        return _notice(text)
    return _notice(
        goal_blocks.build_goal_changed(_change(parsed, member, services), goals.today(member), _)
    )


def _change(parsed: GoalCommand, member: Member, services: Services) -> Goal:
    goals = services.goals
    if parsed.verb is GoalVerb.DONE:
        return goals.mark_done(member, number=parsed.number)
    if parsed.verb is GoalVerb.ARCHIVE:
        return goals.archive(member, number=parsed.number)
    if parsed.verb is GoalVerb.STATUS:
        assert parsed.status is not None
        return goals.set_status(member, parsed.status, number=parsed.number)
    if parsed.verb is GoalVerb.PROGRESS:
        return goals.set_progress(member, parsed.progress, number=parsed.number)
    return goals.add_milestone(member, parsed.title, parsed.typed_due, number=parsed.number)


def _notice(text: str) -> Answer:
    return Answer(text, help_blocks.build_notice_blocks(text))
