"""The two policies every contributed string passes: one for addresses, one for text.

- **Addresses** (case sources, locators, bibliography entries): http or https only, a
  public host name (no loopback, private or link-local address, no ``localhost``, no user
  name or password in the address), no spaces or control characters. Two addresses are
  the same page when they agree after :func:`normalise_url` (scheme, ``www.``, the host's
  case, a trailing slash and any ``#fragment`` set aside).
- **Text** (titles, notes, names): no control characters other than line breaks and tabs,
  no bidirectional-override characters, no characters that hide text (Unicode tags,
  interlinear annotations), and at least one visible character (a letter, digit,
  punctuation mark or symbol; zero-width spaces, joiners, combining marks alone and
  variation selectors alone are blank).
- **Output** (:func:`printable`): what a message shows of a contributed name or value is one
  line, with line breaks, control and bidirectional characters written as escapes, so a
  file name or key cannot add a line to the validator's output or reorder what is shown.

Pure functions: each returns a problem in words, or None.
"""
from __future__ import annotations

import ipaddress
import posixpath
import re
import unicodedata
from urllib.parse import unquote, urlsplit

MAX_URL_LENGTH = 2000
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u3164\u115f\u1160\u2800\uffa0")
_HIDING = re.compile("[\U000e0000-\U000e007f\ufff9-\ufffb\u206a-\u206f]")
_VISIBLE_CATEGORIES = ("L", "N", "P", "S")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".test",
                   ".invalid", ".example", ".onion")
_HOST = re.compile(r"(?=.{1,253}\Z)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}")


def _unicode_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"


def text_problem(text: str) -> str | None:
    """Why a contributed text cannot be published as it is, or None when it can."""
    if not isinstance(text, str):
        return None
    for char in text:
        if char in _BIDI_CONTROLS:
            return (f"contains {_unicode_name(char)}, a character that reverses how text is "
                    "shown; remove it")
        if unicodedata.category(char) == "Cc" and char not in "\n\t":
            return f"contains {_unicode_name(char)}; remove it"
    hiding = _HIDING.search(text)
    if hiding:
        return (f"contains {_unicode_name(hiding.group())}, an invisible character that can "
                "hide text; remove it")
    if text and not any(c not in _INVISIBLE and unicodedata.category(c)[0] in _VISIBLE_CATEGORIES
                        for c in text):
        return "is blank once invisible characters are removed; write the text"
    return None


_LINE_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: object) -> str:
    """Text as a one-line message shows it: line breaks, control, format (bidirectional,
    zero-width) and unassigned characters written as Python-style escapes."""
    out = []
    for char in str(text):
        if char in _LINE_ESCAPES:
            out.append(_LINE_ESCAPES[char])
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else
                       f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


def url_problem(url: object) -> str | None:
    """Why an address cannot be used as a source or a link, or None when it can."""
    if not isinstance(url, str):
        return "expected an http(s) address as text"
    if len(url) > MAX_URL_LENGTH:
        return f"is {len(url)} characters long; an address may have at most {MAX_URL_LENGTH}"
    if any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in url):
        return "contains spaces or invisible characters; an address has none"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "is not a well-formed address"
    if parts.scheme.lower() not in ("http", "https"):
        return f"uses '{parts.scheme or 'no'}' scheme; only http and https addresses are allowed"
    if parts.username is not None or parts.password is not None:
        return "holds a user name or password; give the public address"
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return "has no host name"
    if port is not None and port not in (80, 443):
        return f"uses port {port}; a public page is served on the standard ports"
    # The host as a resolver sees it: full-width letters and dots folded (IDNA), so
    # 'intranet.ｌｏｃａｌ' or '127。0。0。1' is judged as 'intranet.local' or '127.0.0.1'.
    ascii_host = _idna(host)
    for name in (host, ascii_host):
        try:
            ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            continue
        return f"names the host by its IP address ({host}); give the public host name"
    if not ascii_host or ascii_host == "localhost" or ascii_host.endswith(_LOCAL_SUFFIXES) \
            or not _HOST.fullmatch(ascii_host):
        return f"names '{host}', which is not a public host name"
    return None


def _idna(host: str) -> str:
    """The host in ASCII (IDNA, after Unicode normalisation), lower case; '' if it has none."""
    try:
        return host.encode("idna").decode("ascii").lower().rstrip(".")
    except UnicodeError:
        return ""


def _path(path: str) -> str:
    """A URL path as a server resolves it: percent-encoded dots and slashes decoded, ``.``
    and ``..`` segments removed (RFC 3986, 5.2.4), no trailing slash."""
    decoded = re.sub(r"%(2[eEfF])", lambda m: unquote(m.group()), path)
    if not decoded:
        return ""
    resolved = posixpath.normpath("/" + decoded.lstrip("/"))
    return "" if resolved == "/" else resolved


def normalise_url(url: str) -> str:
    """The address as compared for duplicates: https, lower-case host without ``www.``,
    dot segments resolved, no fragment, no trailing slash."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip().lower()
    host = (parts.hostname or "").lower().rstrip(".")
    host = _idna(host) or host
    host = host[4:] if host.startswith("www.") else host
    query = f"?{parts.query}" if parts.query else ""
    return f"https://{host}{_path(parts.path)}{query}"


def url_lies_under(url: str, base: str) -> bool:
    """True when ``url`` is ``base`` or a page below it (a whole path segment deeper)."""
    page, root = normalise_url(url), normalise_url(base)
    return page == root or page.startswith(root + "/")
