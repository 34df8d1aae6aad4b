"""The Feeling Safe in Therapy build: one generator plugin over small packages grouped by what they do.

    plugin/      the plugin: its options and settled settings, the build's facts, and
                 the sequence of events (plugin.py), plus what it needs of the generator
    content/     Markdown and front-matter steps: front matter, citations, glossary,
                 reading time, region text, crisis lines, complaint routes, SEO data
    clinic/      a clinic file: its checks, its brand (text, colours), logo and pictures,
                 and `make clinic` (site.py)
    pages/       reading and rewriting built HTML and CSS: inline-code checks, theme
                 fixes, the icon sprite, the purged and split stylesheets
    publishing/  what a deployed site needs beside its pages: the atomic build, security
                 headers, compressed copies, the JSON API and oEmbed, embeds, handouts
    checks/      hand-edited data files read and checked against their JSON Schemas
    measuring/   `make bench` and its instruments (never imported by a build)
    devtools/    `make serve` and the lock check

Importing this package first makes `mkdocs.*` resolve to the installed generator
(ProperDocs, or MkDocs 1.6.1 after going back), so no module has to care which
of its imports comes first.
"""
from feeling_safe.plugin import generator as _generator  # noqa: F401  (installs the mkdocs alias)
