"""One log line per Celery task run: the task, its id, the ids it was given or touched, and its outcome.

Every task goes through ``run_logged`` (the Celery app's task class calls it), so no task can forget
its line. The ids a task was called with are read from its arguments (whole numbers only: ids and
counts; strings are never logged). A task adds what it touched or how it ended with ``note``:
``note(outcome="sent")``, ``note(delivery_ids=[3, 4])``. Errors are logged by their type (and SMTP
code), never by their text, which can hold an address. No names, emails or tokens reach the line.
"""

import inspect
import logging
from contextvars import ContextVar

from celery.exceptions import Ignore, Reject, Retry

log = logging.getLogger("coordapp.tasks")
MAX_IDS = 20  # a list of ids is cut after this many (with the total count), to keep a line short
_notes: ContextVar[dict | None] = ContextVar("coordapp_task_notes", default=None)


def error_label(exc: BaseException) -> str:
    """Name an error without its message (an SMTP refusal quotes the recipient's address): type and SMTP code."""
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__}" + (f"/{code}" if isinstance(code, int) else "")


def _value(value) -> str | None:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple, set)) and all(isinstance(v, int) for v in value):
        values = sorted(value)
        shown = ",".join(str(v) for v in values[:MAX_IDS])
        return shown + (f",...({len(values)})" if len(values) > MAX_IDS else "") if values else "none"
    return None  # text (a host name, an address, a token) is never logged


def line(task: str, task_id: str | None, fields: dict) -> str:
    """Render one task line: task=… task_id=… then the whole-number fields, outcome last; other values are dropped."""
    fields = dict(fields)
    outcome = str(fields.pop("outcome", "ok"))
    error = fields.pop("error", None)
    parts = [f"task={task}", f"task_id={task_id}"]
    parts += [f"{key}={text}" for key, value in fields.items() if (text := _value(value)) is not None]
    parts.append(f"outcome={outcome}")
    if error:
        parts.append(f"error={error}")
    return " ".join(parts)


def note(**fields) -> None:
    """Add ids or counts this task touched, its outcome or an error label, to its log line (outside a task: nothing)."""
    notes = _notes.get()
    if notes is not None:
        notes.update(fields)


def _arguments(run, args: tuple, kwargs: dict) -> dict:
    try:
        bound = inspect.signature(run).bind_partial(*args, **kwargs)
    except TypeError:
        return {}
    return {name: value for name, value in bound.arguments.items() if name != "self"}


def run_logged(task, args: tuple, kwargs: dict):
    """Run task with args and write its one line: at INFO when it ends well, WARNING on retry, ERROR on failure."""
    name = task.name.rsplit(".", 1)[-1]
    task_id = getattr(task.request, "id", None)
    notes = _arguments(task.run, args, kwargs)
    token = _notes.set(notes)
    level = logging.INFO
    try:
        result = task.run(*args, **kwargs)
        if isinstance(result, str) and "outcome" not in notes:
            notes["outcome"] = result
        return result
    except Retry as retry:
        level, notes["outcome"] = logging.WARNING, "retry"
        if isinstance(retry.exc, BaseException):
            notes.setdefault("error", error_label(retry.exc))
        raise
    except (Ignore, Reject):
        notes.setdefault("outcome", "ignored")
        raise
    except Exception as exc:
        level, notes["outcome"] = logging.ERROR, "failed"
        notes.setdefault("error", error_label(exc))
        raise
    finally:
        _notes.reset(token)
        log.log(level, line(name, task_id, notes))
