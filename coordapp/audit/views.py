"""The admin audit page."""
