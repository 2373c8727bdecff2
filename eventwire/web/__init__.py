"""The web edge: `eventwire serve`'s HTTP API and offline dashboard (see app.py)."""
