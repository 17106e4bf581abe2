"""Slash command listeners."""

from slack_bolt import App

from handlers.commands import mentor


def register(app: App) -> None:
    mentor.register(app)
