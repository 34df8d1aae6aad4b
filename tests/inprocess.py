"""A strict build in this test process, answered like the generator's command.

Why: a generator process costs about three seconds of start-up (Python,
Markdown, Material, our plugin) before a small fixture site builds in a
fraction of that; the suite builds about thirty small sites. ProperDocs' and
MkDocs' own tests build the same way: `load_config` then `build`. Each build
loads a fresh config, so our plugin and Material's get fresh instances (their
state is per build). The answer is a `CompletedProcess` whose stderr holds
the log lines as the command prints them (`ERROR   -  ...`, `REVIEW DUE -  ...`,
the abort line, or a traceback), so a test reads it as it reads a process's.

Where the process is the point (output safety, kill tests, `make clinic`, the
session builds on the background thread) tests still start the command.
"""
from __future__ import annotations

import io
import logging
import os
import subprocess
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from feeling_safe.clinic import file as clinic_file  # noqa: F401
from feeling_safe.content import reviews  # noqa: F401  (creates our own loggers before a build)
from feeling_safe.plugin.generator import NAME

CHILD_CONFIG_NAME = "tests-inprocess.yml"  # never written: names the folder INHERIT and relative paths resolve from


class _LineFormatter(logging.Formatter):
    """The generator's log line without colours: `WARNING -  message`."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname:<8}-  {super().format(record)}"


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """`values` set in os.environ for the build (the build reads FST_TODAY, SOURCE_DATE_EPOCH there)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _working_directory(folder: Path) -> Iterator[None]:
    """Run from `folder`, as the command does (some paths in messages are relative to it)."""
    saved = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(saved)


@contextmanager
def _captured_log(out: io.StringIO) -> Iterator[None]:
    """The generator's loggers (and our own, which do not propagate) written to `out`, as its command sets them up."""
    generator = logging.getLogger(NAME)
    legacy = logging.getLogger("mkdocs")  # Material logs under `mkdocs.*`; the command makes it a child
    handler = logging.StreamHandler(out)
    handler.setFormatter(_LineFormatter())
    own = [logger for name, logger in logging.Logger.manager.loggerDict.items()
           if name.startswith("feeling_safe.") and isinstance(logger, logging.Logger) and logger.handlers]
    own_handlers = []
    for logger in own:
        copy = logging.StreamHandler(out)
        copy.setFormatter(logger.handlers[0].formatter)
        logger.addHandler(copy)
        own_handlers.append((logger, copy))
    saved = (generator.level, generator.propagate, legacy.parent, legacy.level, legacy.propagate)
    generator.setLevel(logging.INFO)
    generator.propagate = False
    generator.addHandler(handler)
    if legacy is not generator:
        legacy.parent, legacy.level, legacy.propagate = generator, logging.NOTSET, True
    try:
        yield
    finally:
        generator.removeHandler(handler)
        generator.level, generator.propagate = saved[0], saved[1]
        if legacy is not generator:
            legacy.parent, legacy.level, legacy.propagate = saved[2], saved[3], saved[4]
        for logger, copy in own_handlers:
            logger.removeHandler(copy)


def build_in_process(root: Path, site_dir: Path, child: dict, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`build --strict` of the child config `child` (as if at `root`) into `site_dir`, in this process."""
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("an in-process build runs on the main thread (it sets os.environ and the log); "
                           "background recipes start the command")
    from mkdocs import config as generator_config
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort

    stream = io.BytesIO(yaml.safe_dump(child).encode("utf-8"))
    stream.name = str(root / CHILD_CONFIG_NAME)  # INHERIT resolves from here
    out = io.StringIO()
    returncode = 0
    with _working_directory(root), _environment(env), _captured_log(out):
        try:
            config = generator_config.load_config(stream, strict=True, site_dir=str(site_dir))
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except Abort as abort:
            out.write(f"\n{abort}\n")
            returncode = abort.code or 1
        except Exception:  # noqa: BLE001  (the command would print the traceback and exit 1)
            out.write(traceback.format_exc())
            returncode = 1
    return subprocess.CompletedProcess(["build-in-process", str(site_dir)], returncode, "", out.getvalue())
