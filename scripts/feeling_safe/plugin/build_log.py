"""Loggers for the build's own notices (review due, clinic warnings).

Why: the generator's strict mode fails a build on any warning of its own
loggers; a notice that must be seen but must not fail the build goes to a
logger of ours, outside the generator's, printed with its own prefix.
"""
from __future__ import annotations

import logging


def own_logger(name: str, prefix: str) -> logging.Logger:
    """The logger `feeling_safe.<name>`, printing `<prefix> -  message` to stderr, set up once."""
    log = logging.getLogger(f"feeling_safe.{name}")
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(f"{prefix} -  %(message)s"))
        log.addHandler(handler)
        log.propagate = False
    return log
