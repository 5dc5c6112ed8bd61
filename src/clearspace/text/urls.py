"""Which URLs clearspace stores and shows as links: absolute ``http``/``https`` URLs only.

Anything else (``javascript:``, ``data:``, ``vbscript:``, a relative path, a URL with spaces or
control characters, which browsers strip before reading the scheme) is refused where it comes in
(:func:`check_web_url`) and shown as no link at all where a stored one goes out (:func:`web_url`).
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urlsplit

from clearspace.errors import InputError

MAX_URL_CHARS: Final = 2000
_UNSAFE_CHARS: Final = re.compile(r"[\x00-\x20\x7f-\x9f\\]")


def is_web_url(value: object) -> bool:
    """True for an absolute ``http(s)://host...`` URL without whitespace or control characters."""
    if not isinstance(value, str) or not value or len(value) > MAX_URL_CHARS or _UNSAFE_CHARS.search(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. a malformed IPv6 host
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and value[:8].lower().startswith(
        ("http://", "https://"))


def check_web_url(value: str, field: str) -> str:
    """``value`` when it is empty or a web URL (:func:`is_web_url`); InputError naming ``field`` otherwise."""
    if value and not is_web_url(value):
        raise InputError(f"{field!r} must be an absolute http:// or https:// URL (at most {MAX_URL_CHARS} "
                         f"characters, no spaces), got {value[:80]!r}")
    return value


def web_url(value: object) -> str:
    """``value`` if it is a web URL, else ``""`` (what a page may put in ``href``)."""
    return value if isinstance(value, str) and is_web_url(value) else ""
