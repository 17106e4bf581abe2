"""The program's common plans, offered in the goal form: a title, why it matters, and suggested
milestones, all editable before saving. Translated when shown, stored as the person saves them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.i18n_markers import N_


@dataclass(frozen=True)
class GoalTemplate:
    key: str
    title: str
    why: str
    milestones: tuple[str, ...]


TEMPLATES: tuple[GoalTemplate, ...] = (
    GoalTemplate(
        "target-domain",
        N_("Choose my target AI domain"),
        N_("A clear target makes every study hour and side project count."),
        (
            N_("List three AI domains that fit my background"),
            N_("Talk to one practitioner in each domain"),
            N_("Try a small hands-on task in each"),
            N_("Pick one domain and write down why"),
        ),
    ),
    GoalTemplate(
        "sharp-strength",
        N_("Build one sharp strength"),
        N_("One thing I do better than most makes me the person teams ask for."),
        (
            N_("Pick the strength and how I will show it"),
            N_("Study the fundamentals (course, book or papers)"),
            N_("Apply it at work or in a side project"),
            N_("Share what I learned (a write-up or a talk)"),
        ),
    ),
    GoalTemplate(
        "portfolio-project",
        N_("Ship a portfolio project"),
        N_("A working project shows what I can do better than any certificate."),
        (
            N_("Choose the problem and the data"),
            N_("Build a first working version"),
            N_("Evaluate it and write down the results"),
            N_("Publish the code and a short demo"),
        ),
    ),
    GoalTemplate(
        "ai-interview",
        N_("Prepare for an AI engineer interview"),
        N_("So I am ready when the right role opens up."),
        (
            N_("Review ML fundamentals and system design"),
            N_("Prepare stories about my AI projects"),
            N_("Do two mock interviews with my mentor"),
            N_("Update my résumé for AI roles"),
        ),
    ),
)

TEMPLATES_BY_KEY = {template.key: template for template in TEMPLATES}
