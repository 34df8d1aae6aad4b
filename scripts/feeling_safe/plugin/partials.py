"""HTML fragments the build writes into pages, rendered from template partials.

Why: markup belongs in templates (overrides/partials/), where a designer
finds it, not in Python strings. This environment autoescapes every value,
so text from a clinic file or the data files is always printed as text.
Optional fields a file leaves out are simply absent (Jinja's default
undefined), which the partials test with `{% if %}`.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from feeling_safe.content.dates import human_date
from feeling_safe.content.phone import tel_href


class Partials:
    """Renders `partials/<name>` from the theme's custom folder (overrides/)."""

    def __init__(self, custom_dir: str | Path):
        self.env = Environment(loader=FileSystemLoader(str(custom_dir)), autoescape=True)
        self.env.filters["human_date"] = human_date
        self.env.filters["tel_href"] = tel_href

    def render(self, name: str, **context) -> str:
        return self.env.get_template(f"partials/{name}").render(**context).strip()
