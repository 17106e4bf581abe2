"""Modal listeners (view_submission, view_closed)."""

from slack_bolt import App

from handlers.views import checkins, goals, profile


def register(app: App) -> None:
    profile.register(app)
    checkins.register(app)
    goals.register(app)
