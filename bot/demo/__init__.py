"""`mentor-bot demo`: the real bot (HTTP server, services, SQLite) against a local stand-in for
Slack's Web API, driven from an interactive console where you act as any seeded person."""
