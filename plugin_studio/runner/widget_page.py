"""A self-contained HTML page with a widget, React and the plugin's CSS, for a real browser.

The page renders the widget as the storefront does (``widget_shell.js``: the same compile, the
same error boundary) with react-dom 18 from the pinned packages, so it can be checked pixel for
pixel against a real engine. Everything is inline: the file opens from disk, offline.

    html = browser_page(candidates, config, slot_data, css=[("styles/theme.css", "...")], title="cart-counter")
"""
from __future__ import annotations

import html
import json
from typing import Any

from plugin_studio.runner import npm_packages, widget_packages

REACT_UMD = ("react", "umd/react.development.js")
REACT_DOM_UMD = ("react-dom", "umd/react-dom.development.js")

_BOOT = """(function () {
  'use strict';
  var shell = (%(shell)s)(React);
  var candidates = %(candidates)s;
  var widget = null, problem = null;
  for (var i = 0; i < candidates.length && !widget; i++) {
    try {
      var value = candidates[i].mode === 'storefront' ? shell.compileStorefront(candidates[i].source)
        : new Function('React', candidates[i].source)(React);
      widget = shell.pickComponent(candidates[i].mode, value);
    } catch (e) { problem = problem || e; }
  }
  var root = ReactDOM.createRoot(document.getElementById('root'));
  root.render(widget ? React.createElement(shell.Shell, { widget: widget, config: %(config)s, slotData: %(slot)s })
                     : shell.alertBox(shell.failedToLoad(problem ? problem.message : 'no component')));
})();"""


def script_text(source: str) -> str:
    """JavaScript safe inside an inline <script> element (no "</script" can end it early)."""
    return source.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def _style_text(css: str) -> str:
    return css.replace("</style", "<\\/style")


def json_text(value: Any) -> str:
    """JSON that is also safe inside <script> (``<``, ``>`` and ``&`` escaped)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def browser_page(candidates: list[dict], config: Any, slot_data: Any, css: list[tuple[str, str]], title: str) -> str:
    """The page's HTML. ``candidates``: the compiled widget's ``{"mode", "source"}`` in order (the
    preview's answer to ``widget.source``); ``css``: (file name, text) of the plugin's style sheets.

    Raises ``npm_packages.NpmPackageError`` when React's browser builds can't be had.
    """
    boot = _BOOT % {"shell": widget_packages.own_source("widget_shell.js"), "candidates": json_text(candidates),
                    "config": json_text(config if config is not None else {}),
                    "slot": json_text(slot_data if slot_data is not None else {})}
    styles = "\n".join(f'<style data-file="{html.escape(name, quote=True)}">\n{_style_text(text)}\n</style>'
                       for name, text in css)
    return "\n".join([
        "<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f"<title>{html.escape(title)} · Plugin Studio preview</title>", styles,
        f"<script>{script_text(npm_packages.read_text(*REACT_UMD))}</script>",
        f"<script>{script_text(npm_packages.read_text(*REACT_DOM_UMD))}</script>",
        "</head>", "<body>", '<div id="root"></div>', f"<script>{script_text(boot)}</script>", "</body>", "</html>", "",
    ])
