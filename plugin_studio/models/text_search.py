"""Find in a document: every match of a needle (plain, whole word or regular expression), as
byte ranges of the UTF-8 text, as the editor addresses text."""
from __future__ import annotations

import re

MAX_MATCHES = 10_000


class SearchError(ValueError):
    """The regular expression does not compile; the message says why."""


def find_all(source: bytes, needle: str, *, match_case: bool = False, whole_word: bool = False,
             regex: bool = False, limit: int = MAX_MATCHES) -> list[tuple[int, int]]:
    """[(start, end)] byte ranges of the matches in ``source`` (UTF-8), at most ``limit``.
    Raises SearchError for a bad regular expression. Case is folded for ASCII letters only when
    ``match_case`` is False (bytes are searched, so positions are the editor's own)."""
    if not needle:
        return []
    pattern = needle.encode("utf-8") if regex else re.escape(needle.encode("utf-8"))
    if whole_word:
        pattern = rb"(?<![\w$])" + pattern + rb"(?![\w$])"
    try:
        compiled = re.compile(pattern, 0 if match_case else re.IGNORECASE)
    except re.error as exc:
        raise SearchError(f"not a valid regular expression: {exc}") from exc
    found = []
    for match in compiled.finditer(source):
        if match.end() > match.start():
            found.append(match.span())
            if len(found) >= limit:
                break
    return found
