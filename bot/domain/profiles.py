"""A person's mentoring profile: who they are, where they are heading, when and how they talk.

The vocabularies below are the shared lists the profile modal and the CSV import offer. Stored
values are the stable keys; the labels are translated at the edge. Skills also accept free
entries, stored normalised (see `normalise_skill`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.domain.i18n_markers import N_


class ProgramRole(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"
    BOTH = "both"


ROLE_LABELS = {
    ProgramRole.MENTOR: N_("Mentor"),
    ProgramRole.MENTEE: N_("Mentee"),
    ProgramRole.BOTH: N_("Mentor and mentee"),
}

BACKGROUNDS = {
    "backend": N_("Backend engineer"),
    "frontend": N_("Frontend or mobile engineer"),
    "data-engineer": N_("Data engineer"),
    "devops": N_("DevOps or platform engineer"),
    "ml-engineer": N_("ML engineer"),
    "ml-researcher": N_("ML researcher"),
    "data-scientist": N_("Data scientist"),
    "student": N_("Student"),
    "other": N_("Other"),
}
"""Current role and background."""

ENGINEERING_BACKGROUNDS = frozenset({"backend", "frontend", "data-engineer", "devops"})
AI_BACKGROUNDS = frozenset({"ml-engineer", "ml-researcher", "data-scientist"})
"""The complement the program values: engineering experience paired with AI expertise."""

TRACKS = {
    "llm-apps": N_("LLM applications"),
    "mlops": N_("MLOps"),
    "computer-vision": N_("Computer vision"),
    "nlp": N_("NLP"),
    "recsys": N_("Recommender systems"),
    "data-science": N_("Data science"),
    "ai-research": N_("AI research"),
}
"""Target tracks (the AI domain a person is heading for, or works in as a mentor)."""

SKILLS = {
    "python": N_("Python"),
    "pytorch": N_("PyTorch"),
    "prompt-engineering": N_("Prompt engineering"),
    "rag": N_("Retrieval-augmented generation"),
    "fine-tuning": N_("Fine-tuning"),
    "llm-evaluation": N_("LLM evaluation"),
    "model-serving": N_("Model serving"),
    "kubernetes": N_("Kubernetes"),
    "data-pipelines": N_("Data pipelines"),
    "sql": N_("SQL"),
    "statistics": N_("Statistics"),
    "experiment-design": N_("Experiment design"),
    "system-design": N_("System design"),
    "distributed-training": N_("Distributed training"),
    "paper-reading": N_("Reading research papers"),
    "product-sense": N_("AI product sense"),
    "career-change": N_("Changing careers"),
    "interviewing": N_("Interview preparation"),
}

PROGRAM_LANGUAGES = {
    "ko": N_("Korean"),
    "en": N_("English"),
    "ja": N_("Japanese"),
    "zh": N_("Chinese"),
}
"""Languages people can hold a mentoring conversation in (ISO 639-1)."""

MAX_CAPACITY = 10
MAX_INTRO_LENGTH = 500
MAX_FREE_SKILL_LENGTH = 40


def normalise_skill(text: str) -> str:
    """A free skill entry as stored: "  Vector DBs " -> "vector dbs"."""
    return " ".join(text.split()).lower()


@dataclass(frozen=True)
class WorkingHours:
    """Local working hours, minutes after midnight. `end < start` means overnight."""

    start_minute: int
    end_minute: int

    def __post_init__(self) -> None:
        for minute in (self.start_minute, self.end_minute):
            if not 0 <= minute < 24 * 60:
                raise ValueError(f"minute of day out of range: {minute}")
        if self.start_minute == self.end_minute:
            raise ValueError("working hours must not be empty")

    @property
    def minutes(self) -> int:
        return (self.end_minute - self.start_minute) % (24 * 60)

    def __str__(self) -> str:
        return f"{_hhmm(self.start_minute)}-{_hhmm(self.end_minute)}"


DEFAULT_WORKING_HOURS = WorkingHours(9 * 60, 18 * 60)


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True)
class Profile:
    team_id: str
    user_id: str
    role: ProgramRole
    background: str
    track: str
    skills_offered: frozenset[str] = frozenset()
    skills_wanted: frozenset[str] = frozenset()
    move_from: str | None = None
    """The career move being made (mentee) or made (mentor): a BACKGROUNDS key..."""
    move_to: str | None = None
    """...to a TRACKS key."""
    working_hours: WorkingHours = DEFAULT_WORKING_HOURS
    timezone: str = "UTC"
    languages: frozenset[str] = frozenset({"en"})
    capacity: int = 0
    """How many mentees a mentor takes at once (0 for mentees)."""
    intro: str = ""
    org_unit: str | None = None
    """The person's own team or department, when known: no match inside it."""
    manager_id: str | None = None
    """The person's manager (Slack user id), when known: no match inside a reporting line."""
    opted_out: bool = False
    paused_until: date | None = None
    checkin_weekday: int | None = None
    """The person's own check-in day (Monday=0), instead of the program's; with..."""
    checkin_minute: int | None = None
    """...their own local time, minutes after midnight."""
    updated_at: datetime | None = None

    @property
    def is_mentor(self) -> bool:
        return self.role in (ProgramRole.MENTOR, ProgramRole.BOTH)

    @property
    def is_mentee(self) -> bool:
        return self.role in (ProgramRole.MENTEE, ProgramRole.BOTH)

    def is_available(self, today: date) -> bool:
        """Neither opted out nor paused on the given (local) day."""
        return not self.opted_out and (self.paused_until is None or self.paused_until < today)
