"""The messages goals send (delivery kinds) and the data each carries, as plain JSON."""

from __future__ import annotations

from typing import Any

from bot.domain.goals import Goal, GoalEvent

DUE_SOON = "goal_due_soon"
"""To the owner, a week before a goal's due date: once per due date."""
COMMENT = "goal_comment"
"""To the other side (owner or mentor) when someone comments on a goal."""

ALL = (DUE_SOON, COMMENT)


def goal_payload(goal: Goal) -> dict[str, Any]:
    return {
        "goal_id": goal.id,
        "team_id": goal.team_id,
        "user_id": goal.user_id,
        "number": goal.number,
        "title": goal.title,
        "due": goal.due.isoformat() if goal.due else None,
        "status": goal.status.value,
        "progress": goal.progress,
        "milestones_open": [m.title for m in goal.milestones if not m.done],
    }


def comment_payload(goal: Goal, comment: GoalEvent) -> dict[str, Any]:
    return {**goal_payload(goal), "author_id": comment.actor, "comment": comment.note or ""}


def due_soon_period(goal: Goal) -> str:
    """One reminder per goal and due date: a goal moved to a new date is reminded again."""
    assert goal.due is not None
    return f"goal-{goal.id}:{goal.due.isoformat()}"


def checkin_entry(goal: Goal) -> dict[str, Any]:
    """What the weekly check-in prompt keeps of an active goal to draw its status buttons."""
    return {
        "goal_id": goal.id,
        "number": goal.number,
        "title": goal.title,
        "status": goal.status.value,
        "progress": goal.progress,
    }
