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

import tinycss2

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
# Attributes whose value is CSS (the style attribute, and presentation attributes a
# browser parses as CSS): read as CSS, escapes resolved, so `u\72l(` is `url(`.
CSS_ATTRIBUTES = frozenset({
    "style", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "opacity", "clip-path",
    "clip-rule", "mask", "stop-color", "stop-opacity", "font-family", "font-size", "font-weight", "font-style",
    "text-anchor", "dominant-baseline", "letter-spacing", "visibility", "display", "color", "vector-effect",
    "shape-rendering", "transform",
})
# CSS functions that only draw: colours, gradients, arithmetic, transforms, shapes. `url()` is checked on its own
# (the file's own #ids only); anything else (image-set, cross-fade, element, expression, attr,
# paint...) may load or read something, and is refused.
DRAWING_FUNCTIONS = frozenset({
    "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color", "color-mix", "light-dark",
    "linear-gradient", "radial-gradient", "conic-gradient", "repeating-linear-gradient",
    "repeating-radial-gradient", "repeating-conic-gradient",
    "calc", "min", "max", "clamp", "var",
    "matrix", "matrix3d", "translate", "translatex", "translatey", "translatez", "translate3d", "scale", "scalex",
    "scaley", "scalez", "scale3d", "rotate", "rotatex", "rotatey", "rotatez", "rotate3d", "skew", "skewx", "skewy",
    "perspective",
    "circle", "ellipse", "inset", "polygon", "path", "rect", "xywh",
})
_DOCUMENT_TYPE = re.compile(rb"<!DOCTYPE|<!ENTITY|<\?xml-stylesheet", re.IGNORECASE)


def _local(name: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag or attribute name."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


_XML_DECLARATION = re.compile(rb"""<\?xml\s[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_OTHER_BOMS = {b"\xff\xfe\x00\x00": "UTF-32", b"\x00\x00\xfe\xff": "UTF-32", b"\xfe\xff": "UTF-16",
               b"\xff\xfe": "UTF-16"}


def _encoding_problem(data: bytes, name: str) -> str | None:
    """Why the bytes are not UTF-8 as an XML reader (and resvg) would read them, or None.

    The checks below read the bytes as UTF-8; a file an XML reader decodes otherwise (a UTF-16
    byte order mark, a declared encoding, bytes that are not UTF-8, a zero byte) could hide from
    them what the reader then sees, so it is refused."""
    for bom, encoding in _OTHER_BOMS.items():
        if data.startswith(bom):
            return f"{name} is saved as {encoding}; save it as UTF-8"
    declared = _XML_DECLARATION.match(data.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).decode("ascii", "replace").lower().replace("_", "-") not in ("utf-8", "utf8"):
        return (f"{name} says it is encoded as {declared.group(1).decode('ascii', 'replace')!r}; "
                "save it as UTF-8 (encoding=\"UTF-8\")")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return (f"{name} is not an SVG image in UTF-8 (byte {error.start} cannot be read as UTF-8); "
                "export it again as SVG, saved as UTF-8")
    if "\x00" in text:
        return f"{name} has a zero byte, so it is not UTF-8 text; save it as UTF-8"
    return None


def svg_problem(data: bytes, name: str) -> str | None:
    """What makes an SVG logo unsafe or not a drawing, as "problem; fix", or None."""
    if problem := _encoding_problem(data, name):
        return problem
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
            if attr in CSS_ATTRIBUTES and (problem := _css_problem(value)):
                return f"{name} {problem} in {attr} on <{tag}>; remove it (a logo must be a plain picture)"
    return None


def _css_problem(value: str) -> str | None:
    """What in a CSS value (or a style attribute's declarations) is more than drawing, or None.

    Read with tinycss2 as a browser reads it: comments skipped, escapes resolved.
    """
    for token in _css_tokens(tinycss2.parse_component_value_list(value, skip_comments=True)):
        if token.type == "url" and not token.value.strip().startswith("#"):
            return "refers to something outside the file"
        if token.type == "function" and token.lower_name == "url":
            target = [arg for arg in token.arguments if arg.type not in ("whitespace", "comment")]
            if not (len(target) == 1 and target[0].type == "string" and target[0].value.strip().startswith("#")):
                return "refers to something outside the file"
        elif token.type == "function" and token.lower_name not in DRAWING_FUNCTIONS:
            return f"uses the CSS function {token.lower_name}()"
        if token.type == "at-keyword":
            return f"has a CSS rule (@{token.lower_value})"
        if token.type == "{} block":
            return "has a CSS rule"
    return None


def _css_tokens(tokens):
    """Every token, inside functions and blocks too."""
    for token in tokens:
        yield token
        if token.type == "function":
            yield from _css_tokens(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            yield from _css_tokens(token.content)


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
