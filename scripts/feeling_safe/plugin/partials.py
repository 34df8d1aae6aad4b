"""HTML fragments the build writes into pages, rendered from template partials.

Why: markup belongs in templates (overrides/partials/), where a designer
finds it, not in Python strings. This environment autoescapes every value,
so text from a clinic file or the data files is always printed as text.
Optional fields a file leaves out are simply absent (Jinja's default
undefined), which the partials test with `{% if %}`.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import BytecodeCache, Environment, FileSystemLoader
from jinja2.bccache import Bucket

from feeling_safe.content.dates import human_date
from feeling_safe.content.phone import tel_href


class CompiledTemplates(BytecodeCache):
    """Templates compiled once and kept between the builds of one `serve` (its plugin
    instance lives on), as Material's plugins keep their caches: a live reload then
    compiles only a template whose source changed (Jinja compares the source's checksum).
    One per environment: the same file compiles differently with and without autoescaping."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class Partials:
    """Renders `partials/<name>` from the theme's custom folder (overrides/)."""

    def __init__(self, custom_dir: str | Path, compiled: CompiledTemplates | None = None):
        self.env = Environment(loader=FileSystemLoader(str(custom_dir)), autoescape=True, bytecode_cache=compiled)
        self.env.filters["human_date"] = human_date
        self.env.filters["tel_href"] = tel_href

    def render(self, name: str, **context) -> str:
        return self.env.get_template(f"partials/{name}").render(**context).strip()
