"""Events API listeners."""

from slack_bolt import App

from handlers.events import installs, messages, users


def register(app: App) -> None:
    users.register(app)
    messages.register(app)
    installs.register(app)
