"""Events API listeners."""

from slack_bolt import App

from handlers.events import home, installs, messages, users


def register(app: App) -> None:
    users.register(app)
    messages.register(app)
    installs.register(app)
    home.register(app)
