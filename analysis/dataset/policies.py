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

import functools
import ipaddress
import posixpath
import re
import unicodedata
from urllib.parse import unquote, urlsplit

MAX_URL_LENGTH = 2000
_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_FORBIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
# Characters that show nothing: spaces, zero-width and formatting characters, fillers.
_INVISIBLE = ("\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f"
              "\u2028-\u202f\u205f-\u206f\u2800\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0"
              "\ufff9-\ufffb\x00-\x1f\x7f-\x9f")
_VISIBLE = re.compile(f"[^{_INVISIBLE}]")
_URL_BAD_CHARACTER = re.compile(f"[{_INVISIBLE}]")
# Characters that hide text: Unicode tags (U+E0000..E007F) and interlinear annotations.
_HIDING = re.compile("[\U000e0000-\U000e007f\ufff9-\ufffb]")
# A visible character is a letter, digit, punctuation mark or symbol: a combining mark or a
# variation selector alone shows nothing.
_VISIBLE_CATEGORIES = ("L", "N", "P", "S")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".test",
                   ".invalid", ".example", ".onion")
_HOST = re.compile(r"(?=.{1,253}\Z)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}")


def _unicode_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"


# Most texts hold none of the characters the text policy refuses and a printable ASCII
# character, which is visible: such a text passes at the cost of two searches.
_SUSPECT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\U000e0000-\U000e007f\ufff9-\ufffb]")
_PRINTABLE_ASCII = re.compile("[!-~]")


def text_problem(text: str) -> str | None:
    """Why a contributed text cannot be published as it is, or None when it can."""
    if not isinstance(text, str):
        return None
    if _PRINTABLE_ASCII.search(text) and not _SUSPECT.search(text):
        return None
    bad = _FORBIDDEN.search(text)
    if bad:
        char = bad.group()
        if char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c":
            return (f"contains {_unicode_name(char)}, a character that reverses how text is "
                    "shown; remove it")
        return f"contains {_unicode_name(char)}; remove it"
    hiding = _HIDING.search(text)
    if hiding:
        return (f"contains {_unicode_name(hiding.group())}, an invisible character that can "
                "hide text; remove it")
    if text and not any(unicodedata.category(m.group())[0] in _VISIBLE_CATEGORIES
                        for m in _VISIBLE.finditer(text)):
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
    if _URL_BAD_CHARACTER.search(url):
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
    if port is not None and port not in (80, 443):
        return f"uses port {port}; a public page is served on the standard ports"
    return _host_problem((parts.hostname or "").rstrip("."))


@functools.lru_cache(maxsize=4096)
def _host_problem(host: str) -> str | None:
    if not host:
        return "has no host name"
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


@functools.lru_cache(maxsize=65536)
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
