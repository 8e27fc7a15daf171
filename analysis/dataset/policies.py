"""The two policies every contributed string passes: one for addresses, one for text.

- **Addresses** (case sources, locators, bibliography entries): http or https only, a
  public host name (no loopback, private or link-local address, no ``localhost``, no user
  name or password in the address), no spaces or control characters. Two addresses are
  the same page when they agree after :func:`normalise_url` (scheme, ``www.``, the host's
  case, a trailing slash and any ``#fragment`` set aside).
- **Text** (titles, notes, names): no control characters other than line breaks and tabs,
  no bidirectional-override characters, and not blank once invisible characters are removed.

Pure functions: each returns a problem in words, or None.
"""
from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2000
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u3164\u115f\u1160\u2800")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".test",
                   ".invalid", ".example", ".onion")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")


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
    visible = "".join(c for c in text if c not in _INVISIBLE
                      and unicodedata.category(c) not in ("Cf", "Zs", "Cc", "Zl", "Zp"))
    if text and not visible:
        return "is blank once invisible characters are removed; write the text"
    return None


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
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    if address is not None:
        return f"names the host by its IP address ({host}); give the public host name"
    if host == "localhost" or host.endswith(_LOCAL_SUFFIXES) or not _HOST.match(_idna(host)):
        return f"names '{host}', which is not a public host name"
    return None


def _idna(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return ""


def normalise_url(url: str) -> str:
    """The address as compared for duplicates: https, lower-case host without ``www.``,
    no fragment, no trailing slash."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip().lower()
    host = (parts.hostname or "").lower().rstrip(".")
    host = host[4:] if host.startswith("www.") else host
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"https://{host}{path}{query}"


def url_lies_under(url: str, base: str) -> bool:
    """True when ``url`` is ``base`` or a page below it (a whole path segment deeper)."""
    page, root = normalise_url(url), normalise_url(base)
    return page == root or page.startswith(root + "/")
