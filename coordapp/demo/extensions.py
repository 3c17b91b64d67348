"""Demo steps other features add: each a function run after the elections, meetings and issues exist.

A feature that has demo rows of its own (accountability reports, invitations ...) puts a module
in this package and names it in STEPS as "module:function"; the function gets
``(demo_2020, exercise, today, report)`` (``coordapp.demo.services.Demo`` and ``SeedReport``),
must find its rows by natural key before creating them (seed-demo runs again and changes
nothing) and counts what it creates in ``report.created``. A step whose module is not there
(yet) is skipped, so the demo loads before and after a feature is merged.
"""

import importlib
import importlib.util

STEPS = ("coordapp.demo.reports:seed_demo_reports",)


def run(demo, exercise, today, report) -> None:
    """Run every demo step whose module exists."""
    for step in STEPS:
        module_name, function = step.split(":")
        if importlib.util.find_spec(module_name) is None:
            continue
        getattr(importlib.import_module(module_name), function)(demo, exercise, today, report)
