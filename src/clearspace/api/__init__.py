"""The HTTP API (FastAPI): ``clearspace.api.app.create_app(service)``. Nothing runs at import."""
