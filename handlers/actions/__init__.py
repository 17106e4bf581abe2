"""Listeners for buttons and modals (block_actions, view_submission)."""

from __future__ import annotations

from slack_bolt import App

from handlers.actions import checkins, goals, home, matches, privacy


def register(app: App) -> None:
    home.register(app)  # first: it takes the shared action ids when pressed in the Home tab
    matches.register(app)
    checkins.register(app)
    goals.register(app)
    privacy.register(app)
