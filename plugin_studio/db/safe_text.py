"""Names that are safe to show: no control, format or line-separator characters.

A name reaches places where an invisible or line-breaking character does harm: a migration's name
goes into the header of the file the editor shows (a newline there puts raw SQL on a line of its
own), a plugin's name into ``plugins list`` (a newline prints it over several lines), a file name
into the tree (a right-to-left override shows ``txt.js`` for ``sj.txt``, a zero-width space makes two
names that look alike). So names are refused when they hold such a character (``unsafe_character``),
and names already stored with one (by another client) are shown escaped (``shown``), never raw.

The characters are Unicode's categories Cc (controls: NUL..US, DEL, C1, including tab and newline),
Cf (format: bidirectional overrides and isolates, zero-width space/joiners, BOM, soft hyphen) and
Zl/Zp (U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR). This module imports no psycopg.
"""
from __future__ import annotations

import unicodedata

UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
_NAMED = {"\n": "a line break", "\r": "a carriage return", "\t": "a tab", "\x00": "a NUL byte",
          "\u2028": "a line separator", "\u2029": "a paragraph separator"}
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def is_unsafe(char: str) -> bool:
    return unicodedata.category(char) in UNSAFE_CATEGORIES


def unsafe_character(text: str) -> tuple[int, str] | None:
    """(index, character) of the first unsafe character of ``text``, or None when there is none."""
    if text.isprintable():
        # isprintable() is False for every Cc/Cf/Zl/Zp character (and for spaces other than ' '):
        # a fast path for the usual name; anything else is checked character by character.
        return None
    for index, char in enumerate(text):
        if is_unsafe(char):
            return index, char
    return None


def describe(char: str) -> str:
    """``a line break (U+000A)``, ``U+202E RIGHT-TO-LEFT OVERRIDE``: a character a reader cannot see."""
    code = f"U+{ord(char):04X}"
    if char in _NAMED:
        return f"{_NAMED[char]} ({code})"
    name = unicodedata.name(char, "")
    return f"{code} {name}" if name else f"the control character {code}"


def unsafe_problem(text: str) -> str | None:
    """Why ``text`` cannot be a name, e.g. ``contains a line break (U+000A) at character 8``; None if it can."""
    found = unsafe_character(text)
    if found is None:
        return None
    index, char = found
    return f"contains {describe(char)} at character {index + 1}"


def shown(text: str | None) -> str:
    """``text`` with every unsafe character escaped (``\\n``, ``\\u202e``), so it shows on one line as it is.

    A backslash is left alone: the result is for reading, not for parsing back.
    """
    if text is None:
        return ""
    if unsafe_character(text) is None:
        return text
    return "".join(_escape(c) if is_unsafe(c) else c for c in text)


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
