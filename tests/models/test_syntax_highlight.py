"""Highlighting from tree-sitter trees: classes of real snippets, incremental edits that leave the
tree exactly as a fresh parse would, and the style cache's bookkeeping of stale ranges."""
from __future__ import annotations

import random

import tree_sitter

from plugin_studio.models.syntax.grammars import Highlight, grammar_for
from plugin_studio.models.syntax.highlight import highlight_range
from plugin_studio.models.syntax.styling import StyleCache
from plugin_studio.models.syntax.tree import Edit, SyntaxDocument


class Buffer:
    """A document in bytes, edited as an editor would, reporting each edit like Scintilla."""

    def __init__(self, text: str):
        self.data = bytearray(text.encode("utf-8"))

    def read(self, offset: int, length: int) -> bytes:
        return bytes(self.data[offset:offset + length])

    def point(self, offset: int) -> tuple[int, int]:
        line_start = self.data.rfind(b"\n", 0, offset) + 1
        return self.data.count(b"\n", 0, offset), offset - line_start

    def replace(self, start: int, end: int, text: bytes) -> Edit:
        start_point, old_end_point = self.point(start), self.point(end)
        self.data[start:end] = text
        return Edit(start, end, start + len(text), start_point, old_end_point, self.point(start + len(text)))


def parsed(language: str, text: str) -> tuple[SyntaxDocument, Buffer]:
    buffer = Buffer(text)
    document = SyntaxDocument(grammar_for(language), buffer.read, lambda: len(buffer.data))
    assert document.parse(5.0)
    return document, buffer


def classes_of(language: str, text: str) -> dict[str, str]:
    """{token text: class name} for the tokens of ``text`` that are not DEFAULT."""
    document, buffer = parsed(language, text)
    styles = highlight_range(document.grammar, document.tree, 0, len(buffer.data), document.text)
    out, i = {}, 0
    while i < len(styles):
        j = i
        while j < len(styles) and styles[j] == styles[i]:
            j += 1
        token = bytes(buffer.data[i:j]).decode().strip()
        if styles[i] and token:
            out[token] = Highlight(styles[i]).name
        i = j
    return out


def test_jsx_tokens_get_their_classes():
    found = classes_of("jsx", "import React from 'react';\n// note\nexport default function Badge({ count }) {\n"
                              "  return <span className=\"badge\">{count * 2}</span>;\n}\n")
    assert found["import"] == "KEYWORD" and found["function"] == "KEYWORD"
    assert found["'react'"] == "STRING" and found['"badge"'] == "STRING"
    assert found["// note"] == "COMMENT"
    assert found["span"] == "TAG" and found["className"] == "ATTRIBUTE"
    assert found["Badge"] == "FUNCTION" and found["count"] == "PARAMETER" and found["2"] == "NUMBER"


def test_css_json_and_markdown_have_their_own_grammars():
    assert classes_of("css", ".cart > .item { color: #fff; margin: 4px; }")["color"] == "PROPERTY"
    assert classes_of("json", '{"name": "cart", "n": 3}')['"name"'] == "PROPERTY"
    markdown = classes_of("markdown", "# Cart viewer\n\nSome *emphasis* and `code`.\n")
    assert markdown["Cart viewer"] == "HEADING" and markdown["emphasis"] == "EMPHASIS" and markdown["code"] == "CODE"


def test_sql_is_highlighted_by_node_type():
    found = classes_of("sql", "-- notes\nCREATE TABLE notes (id SERIAL, body TEXT DEFAULT 'x');\n"
                              "SELECT count(*) FROM notes WHERE id = 2 AND body IS NULL;\n")
    assert found["-- notes"] == "COMMENT" and found["CREATE"] == "KEYWORD" and found["'x'"] == "STRING"
    assert found["count"] == "FUNCTION" and found["2"] == "NUMBER" and found["NULL"] == "CONSTANT"


def test_plain_text_has_no_grammar():
    assert grammar_for("text") is None and grammar_for("jsx") is grammar_for("javascript")


def test_a_range_is_highlighted_as_the_whole_document_would_be():
    text = "const a = `x ${y}`; /* c */ function f(p) { return p + 1; }\n" * 40
    document, buffer = parsed("javascript", text)
    whole = highlight_range(document.grammar, document.tree, 0, len(buffer.data))
    for start, end in ((0, 10), (37, 400), (1000, 1700), (len(buffer.data) - 5, len(buffer.data))):
        assert highlight_range(document.grammar, document.tree, start, end) == whole[start:end]


def test_random_edits_leave_the_tree_as_a_fresh_parse_would():
    random.seed(14)
    document, buffer = parsed("jsx", "function a(x) {\r\n\treturn <b title='😀'>{x}</b>;\r\n}\r\nconst é = [1, 2];\n")
    pieces = [b"{", b"}", b"'", b"\r\n", b"\t", "😀".encode(), "é".encode(), b"x", b"/*", b"*/", b"<i>", b""]
    for _ in range(150):
        start = _char_boundary(buffer.data, random.randint(0, len(buffer.data)))
        end = _char_boundary(buffer.data, min(len(buffer.data), start + random.randint(0, 6)))
        document.edit(buffer.replace(start, end, random.choice(pieces)))
        if random.random() < 0.5:
            while not document.parse(0.0005):  # tiny budgets: the parse resumes across many calls
                pass
    while not document.parse(1.0):
        pass
    fresh = tree_sitter.Parser(document.grammar.language).parse(bytes(buffer.data))
    assert str(document.tree.root_node) == str(fresh.root_node)


def test_edits_made_while_a_parse_runs_are_caught_up_with():
    document, buffer = parsed("javascript", "let x = 1;\n" * 2000)
    document.edit(buffer.replace(0, 0, b"/* "))
    assert not document.parse(0.0)   # stopped at once: the parse is under way
    document.edit(buffer.replace(len(buffer.data), len(buffer.data), b" */"))
    while not document.parse(1.0):
        pass
    assert document.tree.root_node.child(0).type == "comment"
    assert document.tree.root_node.child_count == 1


def _char_boundary(data: bytearray, offset: int) -> int:
    while 0 < offset < len(data) and (data[offset] & 0xC0) == 0x80:
        offset -= 1
    return offset


def test_style_cache_tracks_stale_ranges_like_a_byte_map():
    random.seed(3)
    for _ in range(200):
        cache, stale = StyleCache(40), [True] * 40
        for _ in range(25):
            length = len(stale)
            start = random.randint(0, length)
            end = random.randint(start, length)
            action = random.random()
            if action < 0.3:
                cache.mark_stale(start, end)
                stale[start:end] = [True] * (end - start)
            elif action < 0.6:
                cache.write(start, bytes(end - start))
                stale[start:end] = [False] * (end - start)
            else:
                inserted = random.randint(0, 4)
                cache.edit(start, end, start + inserted)
                stale[start:end] = [True] * inserted
                if inserted == 0 and start < len(stale):
                    stale[start] = True
            assert len(cache.styles) == len(stale)
            assert [i for a, b in cache.stale for i in range(a, b)] == [i for i, s in enumerate(stale) if s]
