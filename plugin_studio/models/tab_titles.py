"""Editor tab titles that tell files apart: the file name, and where names clash, what differs.

Two tabs named ``cart_viewed.js`` look identical; as VS Code does, each clashing title gains the
smallest distinction: the plugin when the files belong to different plugins, else the folder.
"""
from __future__ import annotations

import posixpath
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class TabFile:
    plugin: str     # the plugin's name as shown in "My Plugins"
    path: str       # as the tree shows it: "events/cart_viewed.js"


def tab_titles(files: list[TabFile]) -> list[str]:
    """One title per file, in order: ``cart_viewed.js``, or ``cart_viewed.js — Cart Viewer`` and
    ``cart_viewed.js — Loyalty`` when two plugins have one, or ``x.js — events`` / ``x.js — hooks``
    within one plugin (both when needed: ``x.js — Loyalty · events``)."""
    names = [posixpath.basename(f.path) for f in files]
    clashing = {name for name, count in Counter(names).items() if count > 1}
    titles = []
    for name, file in zip(names, files):
        if name not in clashing:
            titles.append(name)
            continue
        same = [f for n, f in zip(names, files) if n == name]
        parts = []
        if len({f.plugin for f in same}) > 1:
            parts.append(file.plugin)
        if len({posixpath.dirname(f.path) for f in same if f.plugin == file.plugin}) > 1:
            parts.append(posixpath.dirname(file.path) or "/")
        titles.append(f"{name} — {' · '.join(parts)}" if parts else name)
    return titles
