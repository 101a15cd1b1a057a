"""The web dashboard: server-rendered pages, each with a JSON twin under /api."""
