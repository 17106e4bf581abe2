"""Who lives in the demo workspace: a small mentoring program on AI career tracks."""

from __future__ import annotations

from dataclasses import dataclass

TEAM_ID = "T0DEMO"
BOT_USER_ID = "UDEMOBOT"
BOT_NAME = "Mentor Bot"
TEAM_NAME = "AI Platform"


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    real_name: str
    tz: str
    locale: str
    role: str
    """What they do in the demo: admin, mentor, mentee or lead (shown in the welcome)."""
    profile: dict[str, str] | None = None
    """Their mentoring profile as a profile CSV row (without user_id), or None."""


def _profile(
    role: str,
    background: str,
    track: str,
    *,
    offered: str = "",
    wanted: str = "",
    move: tuple[str, str] = ("", ""),
    hours: str = "09:00-18:00",
    tz: str,
    languages: str,
    capacity: int = 0,
    intro: str = "",
) -> dict[str, str]:
    return {
        "role": role,
        "background": background,
        "track": track,
        "skills_offered": offered,
        "skills_wanted": wanted,
        "move_from": move[0],
        "move_to": move[1],
        "working_hours": hours,
        "timezone": tz,
        "languages": languages,
        "capacity": str(capacity),
        "intro": intro,
    }


SEOUL = "Asia/Seoul"

PEOPLE: tuple[Person, ...] = (
    Person("UALEX", "alex", "Alex Kim", SEOUL, "en-US", "program admin"),
    Person("UGRACE", "grace", "Grace Park", SEOUL, "en-US", f"lead of team {TEAM_NAME}"),
    Person(
        "UJIWOO",
        "jiwoo",
        "Jiwoo Lee",
        SEOUL,
        "ko-KR",
        "mentor, LLM apps",
        _profile(
            "mentor",
            "ml-engineer",
            "llm-apps",
            offered="rag;llm-evaluation;python",
            move=("backend", "llm-apps"),
            tz=SEOUL,
            languages="ko;en",
            capacity=2,
            intro="Backend for 8 years, now RAG in production",
        ),
    ),
    Person(
        "UPRIYA",
        "priya",
        "Priya Nair",
        "Asia/Singapore",
        "en-US",
        "mentor, MLOps",
        _profile(
            "mentor",
            "ml-engineer",
            "mlops",
            offered="model-serving;kubernetes;data-pipelines",
            move=("devops", "mlops"),
            tz="Asia/Singapore",
            languages="en",
            capacity=2,
            intro="Runs the model-serving platform",
        ),
    ),
    Person(
        "UMINHO",
        "minho",
        "Minho Choi",
        SEOUL,
        "ko-KR",
        "mentor, computer vision",
        _profile(
            "mentor",
            "ml-researcher",
            "computer-vision",
            offered="pytorch;experiment-design",
            tz=SEOUL,
            languages="ko",
            capacity=1,
        ),
    ),
    Person(
        "UDAN",
        "dan",
        "Dan Miller",
        SEOUL,
        "en-US",
        "mentee, backend -> LLM apps",
        _profile(
            "mentee",
            "backend",
            "llm-apps",
            wanted="rag;llm-evaluation",
            move=("backend", "llm-apps"),
            tz=SEOUL,
            languages="en",
            intro="I want to ship a RAG feature this quarter",
        ),
    ),
    Person(
        "UHANA",
        "hana",
        "Hana Jung",
        SEOUL,
        "ko-KR",
        "mentee, data engineering -> MLOps",
        _profile(
            "mentee",
            "data-engineer",
            "mlops",
            wanted="model-serving;kubernetes",
            move=("data-engineer", "mlops"),
            tz=SEOUL,
            languages="ko;en",
        ),
    ),
    Person(
        "USEOJIN",
        "seojin",
        "Seojin Han",
        SEOUL,
        "ko-KR",
        "mentee, data science -> computer vision",
        _profile(
            "mentee",
            "data-scientist",
            "computer-vision",
            wanted="pytorch",
            move=("data-scientist", "computer-vision"),
            tz=SEOUL,
            languages="ko",
        ),
    ),
    Person(
        "USAM",
        "sam",
        "Sam Rivera",
        "America/Los_Angeles",
        "en-US",
        "mentee, frontend -> NLP",
        _profile(
            "mentee",
            "frontend",
            "nlp",
            wanted="python",
            move=("frontend", "nlp"),
            tz="America/Los_Angeles",
            languages="en",
        ),
    ),
)

ADMINS = ("UALEX",)
TEAM_LEADS = ("UGRACE",)
TEAM_MEMBERS = ("UDAN", "UHANA", "USEOJIN")


def by_name(name: str) -> Person | None:
    wanted = name.strip().lstrip("@").lower()
    return next((p for p in PEOPLE if wanted in (p.name, p.user_id.lower())), None)
