"""Web addresses read as browsers read them: the WHATWG URL Standard's parser, for http and https.

Why: a checker that reads an address one way while browsers read it another
lets the odd ones through. Python's `urlsplit` takes `https://a.example\\@b.example/`
for a link to b.example, while every browser goes to a.example (a backslash
ends the host in http and https); it keeps Unicode host names, which browsers
turn into punycode (`xn--`); it takes `https:///guide/` for an address without a
host, where browsers skip the slashes and go to a host named guide. This module
follows the Standard's basic URL parser (https://url.spec.whatwg.org/#concept-basic-url-parser)
for the special schemes http and https, without a base URL, so every check
reads the parts a browser reads; `problem` then refuses what the Standard calls
a validation error and what a hand-written address never needs (so that no
other reader, Python's included, can take it differently).

Host names go through UTS #46 (the `idna` package, pinned in requirements.txt)
as the Standard's "domain to ASCII" does, with two rules the Standard leaves to
DNS and we keep: each label 1-63 characters of letters, digits and hyphens, not
starting or ending with a hyphen, and the whole name at most 253.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

import idna

DEFAULT_PORTS = {"http": 80, "https": 443}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
# The Standard's forbidden host code points, and forbidden domain code points beyond them.
_FORBIDDEN_HOST = set("\x00\t\n\r #/:<>?@[\\]^|")
_FORBIDDEN_DOMAIN = _FORBIDDEN_HOST | set(map(chr, range(0x20))) | {"%", "\x7f"}
# Percent-encode sets (the Standard's C0 control set plus the listed signs).
_FRAGMENT_SET = set(' "<>`')
_QUERY_SET = set(' "#<>') | {"'"}  # the special-query set
_PATH_SET = _QUERY_SET - {"'"} | set("?^`{}")
_SINGLE_DOT = {".", "%2e"}
_DOUBLE_DOT = {"..", ".%2e", "%2e.", "%2e%2e"}
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_HEX_OR_DECIMAL = re.compile(r"(?:0[xX][0-9A-Fa-f]*|[0-9]+)")


class AddressError(ValueError):
    """An address a browser would not open (the Standard's "failure"), or one this project
    refuses; the message says why, in words for the person who wrote it."""


@dataclass(frozen=True)
class WebAddress:
    """An http(s) address as a browser holds it: host in ASCII (punycode), port None when it is
    the scheme's default, path with its dot segments resolved and its odd characters escaped."""

    scheme: str
    username: str
    password: str
    host: str
    port: int | None
    path: str
    query: str | None
    fragment: str | None

    @property
    def href(self) -> str:
        """The address as a browser writes it back (the Standard's URL serializer)."""
        userinfo = ""
        if self.username or self.password:
            userinfo = self.username + (f":{self.password}" if self.password else "") + "@"
        port = f":{self.port}" if self.port is not None else ""
        query = f"?{self.query}" if self.query is not None else ""
        fragment = f"#{self.fragment}" if self.fragment is not None else ""
        return f"{self.scheme}://{userinfo}{self.host}{port}{self.path}{query}{fragment}"


def _percent_encode(text: str, encode_set: set[str]) -> str:
    out = []
    for char in text:
        if ord(char) < 0x20 or ord(char) > 0x7e or char in encode_set:
            out.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8")))
        else:
            out.append(char)
    return "".join(out)


def _percent_decode(text: str) -> str:
    data = text.encode("utf-8")
    out = bytearray()
    index = 0
    while index < len(data):
        if data[index:index + 1] == b"%" and re.fullmatch(rb"[0-9A-Fa-f]{2}", data[index + 1:index + 3]):
            out.append(int(data[index + 1:index + 3], 16))
            index += 3
        else:
            out.append(data[index])
            index += 1
    return out.decode("utf-8", "replace")


def _ipv4(host: str) -> str:
    """The Standard's IPv4 parser (decimal, octal 0..., hex 0x..., one to four parts), serialized."""
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if len(parts) > 4 or "" in parts:
        raise AddressError(f"{host!r} is not an IP address a browser can read")
    numbers = []
    for part in parts:
        if part[:2].lower() == "0x":
            digits, base = part[2:] or "0", 16
        elif len(part) > 1 and part.startswith("0"):
            digits, base = part[1:], 8
        else:
            digits, base = part, 10
        try:
            numbers.append(int(digits, base))
        except ValueError:
            raise AddressError(f"{host!r} is not an IP address a browser can read") from None
    if any(number > 255 for number in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise AddressError(f"{host!r} is an IP address out of range")
    value = numbers[-1] + sum(number * 256 ** (3 - index) for index, number in enumerate(numbers[:-1]))
    return str(ipaddress.IPv4Address(value))


def _ends_in_number(host: str) -> bool:
    """The Standard's "ends in a number": the last label (a final empty one aside) is a number."""
    labels = host.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()
    return bool(_HEX_OR_DECIMAL.fullmatch(labels[-1]))


def _ascii_label(label: str) -> str:
    """One label of a mapped host name in ASCII (UTS #46 ToASCII, CheckHyphens and STD3 rules
    off, as in the Standard): ASCII kept as it is, punycode checked, Unicode made punycode."""
    if label.isascii():
        if label.lower().startswith("xn--"):
            idna.ulabel(label)  # raises for punycode that does not decode to a valid label
        return label
    return idna.alabel(label).decode("ascii")


def _host(text: str) -> str:
    """The Standard's host parser for a special scheme, then our DNS rules for names."""
    if text.startswith("["):
        if not text.endswith("]"):
            raise AddressError("has a [ without its ] around an IPv6 address")
        inner = text[1:-1]
        if "%" in inner:  # a zone id: the Standard's IPv6 parser has none
            raise AddressError("has a zone id (%) in its IPv6 address")
        try:
            return f"[{ipaddress.IPv6Address(inner).compressed}]"
        except ValueError:
            raise AddressError(f"{text!r} is not an IPv6 address") from None
    domain = _percent_decode(text)
    try:
        ascii_name = ".".join(_ascii_label(label) for label in
                              idna.uts46_remap(domain, std3_rules=False, transitional=False).split("."))
    except (idna.IDNAError, UnicodeError) as error:
        raise AddressError(f"has a host name browsers cannot read ({error})") from None
    if not ascii_name:
        raise AddressError("has no host name")
    bad = sorted(set(ascii_name) & _FORBIDDEN_DOMAIN)
    if bad:
        raise AddressError(f"has {bad[0]!r} in its host name, which no host name may have")
    if _ends_in_number(ascii_name):
        return _ipv4(ascii_name)
    return ascii_name


def parse(value: str) -> WebAddress:
    """An http or https address as a browser reads it; AddressError if a browser would refuse it,
    or if it is not http(s)."""
    # The Standard strips these and goes on; a hand-written address has no reason to hold them.
    if value != value.strip(_C0_OR_SPACE) or _TAB_OR_NEWLINE.search(value):
        raise AddressError("has a space, tab, line break or control character at its ends or inside")
    scheme_match = _SCHEME.match(value)
    if not scheme_match:
        raise AddressError("does not start with http:// or https://")
    scheme = scheme_match.group()[:-1].lower()
    if scheme not in DEFAULT_PORTS:
        raise AddressError(f"is a {scheme}: address, not http:// or https://")
    rest = value[scheme_match.end():]
    # Special authority (ignore) slashes: any run of / and \ before the host is skipped.
    rest = rest.lstrip("/\\")
    end = min((index for index in (rest.find(c) for c in "/\\?#") if index >= 0), default=len(rest))
    authority, rest = rest[:end], rest[end:]
    username = password = ""
    if "@" in authority:  # every @ but the last belongs to the user name or password
        userinfo, _, authority = authority.rpartition("@")
        name, _, secret = userinfo.partition(":")
        username = _percent_encode(name, _PATH_SET | set("/:;=@[\\]|"))
        password = _percent_encode(secret, _PATH_SET | set("/:;=@[\\]|"))
        if not authority:
            raise AddressError("has no host after its @")
    host_text, port_text = authority, ""
    colon = authority.find(":", authority.find("]") + 1 if authority.startswith("[") else 0)  # the first outside [ ]
    if colon >= 0:
        host_text, port_text = authority[:colon], authority[colon + 1:]
    if not host_text:
        raise AddressError("has no host name")
    port = None
    if port_text:
        if not port_text.isascii() or not port_text.isdigit():
            raise AddressError(f"has a port that is not a number ({port_text!r})")
        port = int(port_text)
        if port > 65535:
            raise AddressError(f"has a port out of range ({port}, over 65535)")
        if port == DEFAULT_PORTS[scheme]:
            port = None
    host = _host(host_text)
    # Path, query and fragment.
    fragment = None
    if "#" in rest:
        rest, fragment = rest.split("#", 1)
        fragment = _percent_encode(fragment, _FRAGMENT_SET)
    query = None
    if "?" in rest:
        rest, query = rest.split("?", 1)
        query = _percent_encode(query, _QUERY_SET)
    return WebAddress(scheme, username, password, host, port, _path(rest), query, fragment)


def _path(text: str) -> str:
    """The Standard's path state for a special scheme: \\ is /, dot segments resolved, odd characters escaped."""
    segments: list[str] = []
    pieces = text.replace("\\", "/").split("/")[1:] if text else [""]
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        lowered = piece.lower()
        if lowered in _DOUBLE_DOT:
            if segments:
                segments.pop()
            if last:
                segments.append("")
        elif lowered in _SINGLE_DOT:
            if last:
                segments.append("")
        else:
            segments.append(_percent_encode(piece, _PATH_SET))
    return "/" + "/".join(segments)


def _label_problem(label: str) -> str:
    """What is wrong with one label of a host name (between its dots), in words."""
    if not label:
        return "an empty part (two dots together, or a dot at an end)"
    if len(label) > 63:
        return f"a part of {len(label)} characters between dots, over the 63 each may have"
    if label.startswith("-") or label.endswith("-"):
        return f"a part that starts or ends with a hyphen ({label!r})"
    return f"a sign other than a letter, digit or hyphen ({label!r})"


def _written_host(rest: str) -> str:
    """The host as typed, from what follows `scheme://` (user name, port and path left off)."""
    authority = re.split(r"[/\\?#]", rest, maxsplit=1)[0].rpartition("@")[2]
    if authority.startswith("["):
        return authority[:authority.find("]") + 1] if "]" in authority else authority
    return authority.rpartition(":")[0] if ":" in authority else authority


def problem(value: str) -> str | None:
    """Why `value` is not an http(s) address to publish in a page, in words, or None.

    Beyond what browsers refuse: anything the Standard calls a validation error that another
    reader could take differently (a backslash, other than two slashes after the scheme, a
    user name or password), a Unicode host (written as its punycode, which is what browsers
    send), port 0, a host that is not a name with a dot (or localhost) or an IP address."""
    if "\\" in value:
        return "has a backslash (\\), which browsers read as / but other readers do not: write / instead"
    if any(char.isspace() for char in value) or "<" in value or '"' in value:
        return "has a space, < or \" in it"
    try:
        address = parse(value)
    except AddressError as error:
        return str(error)
    after_scheme = value.split(":", 1)[1]
    if not after_scheme.startswith("//") or after_scheme.startswith("///"):
        return "needs exactly two slashes after its scheme, like https://"
    if address.username or address.password:
        return "has a user name or password (before an @), which makes it look like another site's address"
    written = _written_host(after_scheme[2:])
    if written.startswith("["):
        return "has port 0, which no server listens on" if address.port == 0 else None
    if not written.isascii() or "%" in written:
        return f"has a host name in Unicode or with % escapes, which browsers send as {address.host}: write that"
    if address.port == 0:
        return "has port 0, which no server listens on"
    if _ends_in_number(address.host):
        if address.host != written:
            return f"has an IP address in a form browsers read as {address.host}: write that"
        return None
    labels = address.host.split(".")
    if len(address.host) > 253:
        return f"has a host name of {len(address.host)} characters, over the 253 a host name may have"
    for label in labels:
        if not _LABEL.fullmatch(label):
            return f"has a host name with {_label_problem(label)}"
    if len(labels) < 2 and address.host != "localhost":
        return "has a host name without a dot, like example.org"
    return None
