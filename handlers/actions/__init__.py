"""Listeners for buttons and modals (block_actions, view_submission)."""

from __future__ import annotations

from slack_bolt import App

from handlers.actions import checkins, goals, matches, privacy


def register(app: App) -> None:
    matches.register(app)
    checkins.register(app)
    goals.register(app)
    privacy.register(app)
