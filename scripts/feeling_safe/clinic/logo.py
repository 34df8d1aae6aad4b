"""A clinic's logo: a plain picture, from the clinic's own folder, that can run nothing.

Why: the logo is copied into the built site and served from our origin, so a
hostile SVG would run script as us (opened directly, or on a host that sends
no headers). So the file must sit inside the clinic file's folder (no
absolute path, no `..`, no link out of it), and an SVG passes only if every
element and attribute is on a drawing-only allow-list: no script, no foreign
content, no animation, no reference to anything outside the file itself.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

MAX_BYTES = 100_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
# Shapes, text, grouping and paint servers: what a logo draws with. Nothing that runs,
# animates, embeds other documents or loads anything (script, foreignObject, animate*,
# set, image, iframe, style with @import, a, feImage ...) is here.
ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "title", "desc", "path", "rect", "circle", "ellipse", "line",
    "polyline", "polygon", "text", "tspan", "textPath", "linearGradient", "radialGradient", "stop",
    "clipPath", "mask", "pattern", "metadata",
})
ATTRIBUTES = frozenset({
    "id", "class", "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry",
    "fx", "fy", "d", "points", "transform", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
    "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
    "stroke-dashoffset", "opacity", "clip-path", "clip-rule", "mask", "offset", "stop-color", "stop-opacity",
    "gradientUnits", "gradientTransform", "spreadMethod", "patternUnits", "patternContentUnits",
    "patternTransform", "clipPathUnits", "maskUnits", "maskContentUnits", "preserveAspectRatio", "version",
    "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline",
    "letter-spacing", "dx", "dy", "rotate", "lengthAdjust", "textLength", "role", "aria-label", "aria-labelledby",
    "aria-hidden", "focusable", "href", "visibility", "display", "color", "vector-effect", "style",
    "shape-rendering", "xml:space", "startOffset",
})
# Inside attribute values and `style`: only references to the file's own ids.
_OUTSIDE_REFERENCE = re.compile(r"url\(\s*['\"]?\s*(?!#)|@import|expression\s*\(|javascript:", re.IGNORECASE)
_DOCUMENT_TYPE = re.compile(rb"<!DOCTYPE|<!ENTITY|<\?xml-stylesheet", re.IGNORECASE)


def _local(name: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag or attribute name."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def svg_problem(data: bytes, name: str) -> str | None:
    """What makes an SVG logo unsafe or not a drawing, as "problem; fix", or None."""
    if _DOCUMENT_TYPE.search(data):
        return f"{name} has a DOCTYPE, entity or stylesheet instruction; export it again as a plain SVG"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return f"{name} is not an SVG image (it is not valid XML); export it again as SVG"
    if _local(root.tag) not in ((SVG_NAMESPACE, "svg"), ("", "svg")):
        return f"{name} is not an SVG image (its root is <{_local(root.tag)[1]}>); export it again as SVG"
    for element in root.iter():
        namespace, tag = _local(element.tag)
        if namespace not in (SVG_NAMESPACE, "") or tag not in ELEMENTS:
            return (f"{name} contains <{tag}>, which a logo cannot have (scripts, animation, images and "
                    "other documents are refused); export it again as a plain drawing")
        for attribute, value in element.attrib.items():
            attr_namespace, attr = _local(attribute)
            known = (attr_namespace in ("", XLINK_NAMESPACE) and attr in ATTRIBUTES) or \
                attribute == "{http://www.w3.org/XML/1998/namespace}space"
            if attr.lower().startswith("on") or not known:
                return f"{name} has a {attr} attribute on <{tag}>; remove it (a logo must be a plain picture)"
            if attr == "href" and not value.strip().startswith("#"):
                return f"{name} links to {value!r} from <{tag}>; a logo may only refer to its own parts (#id)"
            if _OUTSIDE_REFERENCE.search(value):
                return f"{name} refers to something outside the file in {attr}; remove it"
    return None


def logo_problem(folder: Path, relative: str) -> str | None:
    """What is wrong with the logo at `relative` (from the clinic file's `folder`), or None."""
    if Path(relative).is_absolute():
        return f"{relative} is an absolute path; put the logo beside the clinic file and give its name"
    path = folder / relative
    inside = folder.resolve()
    if not path.resolve().is_relative_to(inside):
        return f"{relative} leads outside the clinic file's folder; put the logo beside the clinic file"
    if not path.is_file():
        return f"no file at {path}; put the logo there or fix the path (it is relative to the clinic file)"
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        return f"{path.name} is {len(data):,} bytes; keep the logo under {MAX_BYTES:,} bytes"
    if path.suffix.lower() == ".png":
        if not data.startswith(PNG_MAGIC):
            return f"{path.name} is not a PNG image (its bytes say otherwise); export it again as PNG"
        return None
    return svg_problem(data, path.name)
