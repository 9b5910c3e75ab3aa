"""Reading rendered element trees in tests."""
from __future__ import annotations


def texts(tree) -> list[str]:
    """Every text of a rendered tree, in document order."""
    out: list[str] = []
    for node in tree:
        if isinstance(node, str):
            out.append(node)
        else:
            out.extend(texts(node["children"]))
    return out


def find(tree, type_: str) -> list[dict]:
    out = []
    for node in tree:
        if isinstance(node, dict):
            if node["type"] == type_:
                out.append(node)
            out.extend(find(node["children"], type_))
    return out


def strip_ids(tree):
    return [n if isinstance(n, str) else {"type": n["type"], "props": n["props"], "children": strip_ids(n["children"])}
            for n in tree]
