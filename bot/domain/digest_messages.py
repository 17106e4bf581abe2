"""The weekly digest as a delivery: computed when it is queued, kept in the ledger as plain JSON,
and drawn from that JSON when it is sent (in the reader's language, with its chart)."""

from __future__ import annotations

from typing import Any

from bot.domain.checkins import CheckinState
from bot.domain.digests import (
    Attention,
    AttentionReason,
    Digest,
    GroupLine,
    Highlight,
    PersonLine,
    WeekPoint,
)
from bot.domain.goals import GoalStatus

TEAM_DIGEST = "team_digest"
"""To a team lead (or the team's channel), Monday morning in the lead's zone, once a week."""

ALL = (TEAM_DIGEST,)


def digest_payload(digest: Digest) -> dict[str, Any]:
    return {
        "title": digest.title,
        "weeks": [[w.week, w.expected, w.answered, w.goal_progress] for w in digest.weeks],
        "people": digest.people,
        "active_matches": digest.active_matches,
        "goal_counts": {status.value: n for status, n in digest.goal_counts.items()},
        "attention": [[a.user_id, a.reason.value, a.detail] for a in digest.attention],
        "per_person": [
            {
                "user_id": p.user_id,
                "answered_streak": p.answered_streak,
                "this_week": p.this_week.value if p.this_week else None,
                "goals": p.goals,
                "goal_progress": p.goal_progress,
                "worst_status": p.worst_status.value if p.worst_status else None,
                "confidence": p.confidence,
                "states": [s.value if s else None for s in p.states],
            }
            for p in digest.per_person
        ],
        "highlights": [[h.user_id, h.week, h.text] for h in digest.highlights],
        "average_confidence": digest.average_confidence,
        "groups": [[g.name, g.people, g.response_rate, g.blocked] for g in digest.groups],
        "small_groups": digest.small_groups,
    }


def digest_from_payload(payload: dict[str, Any]) -> Digest:
    def state(value: str | None) -> CheckinState | None:
        return CheckinState(value) if value else None

    return Digest(
        title=payload["title"],
        weeks=tuple(WeekPoint(*w) for w in payload["weeks"]),
        people=payload["people"],
        active_matches=payload["active_matches"],
        goal_counts={GoalStatus(k): n for k, n in payload["goal_counts"].items()},
        attention=tuple(
            Attention(user, AttentionReason(reason), detail)
            for user, reason, detail in payload["attention"]
        ),
        per_person=tuple(
            PersonLine(
                user_id=p["user_id"],
                answered_streak=p["answered_streak"],
                this_week=state(p["this_week"]),
                goals=p["goals"],
                goal_progress=p["goal_progress"],
                worst_status=GoalStatus(p["worst_status"]) if p["worst_status"] else None,
                confidence=p["confidence"],
                states=tuple(state(s) for s in p["states"]),
            )
            for p in payload["per_person"]
        ),
        highlights=tuple(Highlight(*h) for h in payload["highlights"]),
        average_confidence=payload["average_confidence"],
        groups=tuple(GroupLine(*g) for g in payload["groups"]),
        small_groups=payload["small_groups"],
    )
