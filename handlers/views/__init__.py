"""Modal listeners (view_submission, view_closed)."""

from slack_bolt import App

from handlers.views import checkins, profile


def register(app: App) -> None:
    profile.register(app)
    checkins.register(app)
