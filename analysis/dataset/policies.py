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

import functools
import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2000
_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_FORBIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
# Characters that show nothing: spaces, zero-width and formatting characters, fillers.
_INVISIBLE = ("\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b-\u200f"
              "\u2028-\u202f\u205f-\u206f\u2800\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0"
              "\ufff9-\ufffb\x00-\x1f\x7f-\x9f")
_VISIBLE = re.compile(f"[^{_INVISIBLE}]")
_URL_BAD_CHARACTER = re.compile(f"[{_INVISIBLE}]")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".test",
                   ".invalid", ".example", ".onion")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")


def _unicode_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"


def text_problem(text: str) -> str | None:
    """Why a contributed text cannot be published as it is, or None when it can."""
    if not isinstance(text, str):
        return None
    bad = _FORBIDDEN.search(text)
    if bad:
        char = bad.group()
        if char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c":
            return (f"contains {_unicode_name(char)}, a character that reverses how text is "
                    "shown; remove it")
        return f"contains {_unicode_name(char)}; remove it"
    if text and not _VISIBLE.search(text):
        return "is blank once invisible characters are removed; write the text"
    return None


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
    try:
        ipaddress.ip_address(host.strip("[]"))
        return f"names the host by its IP address ({host}); give the public host name"
    except ValueError:
        pass
    if host == "localhost" or host.endswith(_LOCAL_SUFFIXES) or not _HOST.match(_idna(host)):
        return f"names '{host}', which is not a public host name"
    return None


def _idna(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return ""


@functools.lru_cache(maxsize=65536)
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
