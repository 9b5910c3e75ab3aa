"""Format document (host side): prettier in the worker (``ops_format``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plugin_studio.runner.host import JsHost

FORMATTED_LANGUAGES = ("javascript", "jsx", "json", "css", "markdown")
# Prettier's first load in a worker takes ~0.5 s (more on a loaded machine); a format ~20 ms.
FORMAT_TIMEOUT_MS = 15000


def format_code(host: "JsHost", code: str, language: str, crlf: bool = False) -> str:
    """``code`` as prettier formats it, keeping CRLF line ends when ``crlf``. Raises the runner's
    errors: JsError with prettier's message for code it cannot parse, NpmPackageError's message
    when prettier can't be fetched."""
    answer = host.call("format.document", code=code, language=language, end_of_line="crlf" if crlf else "lf",
                       timeout_ms=FORMAT_TIMEOUT_MS)
    return answer["code"]
