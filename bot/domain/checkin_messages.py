"""The messages check-ins send (delivery kinds) and the data each carries, as plain JSON."""

from __future__ import annotations

from typing import Any

from bot.domain.checkins import Checkin

PROMPT = "checkin_prompt"
"""To the person: this week's questions, with a button for the form; a DM reply also answers."""
REMINDER = "checkin_reminder"
"""To the person, 48 hours after an unanswered prompt."""
SUMMARY_TO_MENTOR = "checkin_summary"
"""To her mentor when a mentee answers: only what she shares with the mentor."""
MISSED_TO_MENTOR = "checkin_missed_mentor"
"""To the mentor after two missed weeks in a row."""
MISSED_TO_ADMINS = "checkin_missed_admins"
"""To the program admins after three missed weeks in a row."""
OFFER_PAUSE = "checkin_offer_pause"
"""To the mentee after three missed weeks: pause, or ask for a new mentor, in one click."""

ALL = (PROMPT, REMINDER, SUMMARY_TO_MENTOR, MISSED_TO_MENTOR, MISSED_TO_ADMINS, OFFER_PAUSE)


def checkin_payload(checkin: Checkin) -> dict[str, Any]:
    return {
        "checkin_id": checkin.id,
        "team_id": checkin.team_id,
        "user_id": checkin.user_id,
        "week": checkin.week,
        "role": checkin.role.value,
        "due_at": checkin.due_at.isoformat(),
        "week_ends_at": checkin.week_ends_at.isoformat(),
    }


def summary_payload(checkin: Checkin) -> dict[str, Any]:
    """What the mentor may read: aggregates always; the words only if she shares them."""
    answer = checkin.answer
    shared = answer.share_with_mentor
    return {
        **checkin_payload(checkin),
        "confidence": answer.confidence,
        "shared": shared,
        "progress": answer.progress if shared else None,
        "blockers": answer.blockers if shared else None,
        "next_steps": answer.next_steps if shared else None,
    }
