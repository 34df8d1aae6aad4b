"""A fault the build did not expect, said in one line: what happened, where, and what to do.

Why: a build that stops on a full disk, a page nested too deeply for the
Markdown reader, or a template that does not exist must say so plainly and
exit with a code, never print a traceback a writer cannot read. Both places
that can meet such a fault turn it into a line here: the generator (our
plugin's on_build_error, for anything raised while pages are read and
written) and the publishing step around it (feeling_safe/publishing/safe_build.py:
compressed copies, the stamp, putting the new site in place).
"""
from __future__ import annotations

import errno

from jinja2.exceptions import TemplateNotFound

# What to do about the system faults a person can fix.
_OS_HINTS = {
    errno.ENOSPC: "free some disk space and build again",
    errno.EDQUOT: "free some of your disk quota and build again",
    errno.EACCES: "check that you may write there",
    errno.EPERM: "check that you may write there",
    errno.EROFS: "choose an output on a disk that can be written",
    errno.EMFILE: "raise the limit on open files (ulimit -n) and build again",
}


def fault_line(error: BaseException) -> str:
    """One line for `error`: its kind in plain words, the file it names, and what to do."""
    if isinstance(error, TemplateNotFound):
        return f"no template {error.name!r}; give a template the theme has, or leave `template:` out"
    if isinstance(error, OSError):  # after TemplateNotFound, which is one too
        where = f" ({error.filename})" if error.filename else ""
        hint = _OS_HINTS.get(error.errno or 0)
        return f"{error.strerror or error}{where}" + (f"; {hint}" if hint else "")
    if isinstance(error, RecursionError):
        return ("text nested too deeply to read (lists, quotes or front matter hundreds of levels deep); "
                "flatten it")
    return f"{type(error).__name__}: {error}"
