"""WSGI entry point: `flask --app wsgi ...` and `gunicorn wsgi:app`."""

import gc

from coordapp import create_app

app = create_app()

# What is loaded by now (the app, its routes and mappers, imported modules) lives as long as the
# process. Freezing it keeps the collector's full passes from walking it again and again: without
# this, a page that builds a few thousand objects (issues by stage) now and then paused for a full
# collection, 100+ ms at 100k issues (see `make bench`).
gc.freeze()
