"""A file shown in rows (models.display_rows): the display text is the file's text with breaks;
positions, lines and edits map both ways, and no edit of the display changes the file otherwise
than the same edit of the file would."""
from __future__ import annotations

import random

import pytest
import tree_sitter

from plugin_studio.models.display_rows import (
    LONG_LINE_CHARS, RowedText, has_long_line, long_lines, row_breaks, rowed,
)
from plugin_studio.models.syntax.grammars import grammar_for
from plugin_studio.models.syntax.rows import token_boundary

PIECES = ["const a = 1; ", "f('x y z', \"q\"); ", "/* a comment */ ", "`t ${a} u` ", "/re g/g.test(s); ",
          "😀 emoji 😀; ", "é à ü; ", "if (x) { y(); } "]


def minified(size: int, seed: int = 1) -> bytes:
    """A one-line script about ``size`` bytes long, with strings, templates, comments, regexes
    and non-BMP characters."""
    rng = random.Random(seed)
    parts, length = [], 0
    while length < size:
        part = rng.choice(PIECES)
        parts.append(part)
        length += len(part.encode())
    return "".join(parts).encode()


def strip_breaks(rows: RowedText) -> bytes:
    display = rows.display_bytes()
    out, last = [], 0
    for k, p in enumerate(rows.breaks):
        assert display[p + k:p + k + 1] == b"\n"
        out.append(display[last:p + k])
        last = p + k + 1
    out.append(display[last:])
    return b"".join(out)


def test_only_lines_over_10000_characters_are_long():
    short = ("x" * LONG_LINE_CHARS + "\n") * 3
    assert not has_long_line(short.encode())
    text = "a\n" + "😀" * (LONG_LINE_CHARS + 1) + "\r\nb"
    source = text.encode()
    assert has_long_line(source)
    start = 2
    assert long_lines(source) == [(start, start + 4 * (LONG_LINE_CHARS + 1))]   # before the CRLF
    # 10,001 bytes but fewer characters: not long
    assert not has_long_line(("é" * 6000).encode())


def test_the_display_is_the_file_with_breaks_and_rows_are_short():
    source = b"head();\n" + minified(60_000) + b"\ntail();\n"
    rows = rowed(source)
    assert rows.breaks and strip_breaks(rows) == source
    lines = rows.display_bytes().split(b"\n")
    assert lines[0] == b"head();" and lines[-2:] == [b"tail();", b""]
    assert max(len(line) for line in lines) < 400
    for p in rows.breaks:   # never inside a character
        assert not 0x80 <= source[p] < 0xC0


def test_breaks_from_the_parse_never_fall_inside_a_string_template_comment_or_regex():
    source = minified(40_000, seed=7)
    tree = tree_sitter.Parser(grammar_for("javascript").language).parse(source)
    rows = rowed(source, token_boundary(tree))
    assert len(rows.breaks) > 100
    inside = []

    def visit(node):
        if node.type in ("string", "template_string", "comment", "regex"):
            inside.extend(p for p in rows.breaks if node.start_byte < p < node.end_byte)
            return
        for child in node.children:
            visit(child)
    visit(tree.root_node)
    assert inside == []


def test_positions_map_both_ways():
    source = minified(30_000)
    rows = rowed(source)
    for offset in range(0, len(source), 97):
        display = rows.to_display(offset)
        assert rows.to_file(display) == offset
        assert rows.display_bytes()[display:display + 1] == source[offset:offset + 1]
    k, p = 3, rows.breaks[3]
    assert rows.to_display(p) == p + k + 1 and rows.to_display_end(p) == p + k   # after / before the break
    assert rows.is_break(p + k) and rows.to_file(p + k) == p


def test_line_and_column_are_the_files_in_characters():
    source = "a\n".encode() + "😀é".encode() * 6000 + b"x\r\nlast"
    rows = rowed(source)
    offset = source.index(b"x")
    assert rows.line_column(offset) == (2, 12001)
    assert rows.offset_of(2, 12001) == offset
    assert rows.offset_of(3, 3) == source.index(b"last") + 2
    assert rows.point(offset) == (1, offset - 2)
    assert rows.advance((1, 5), b"ab") == (1, 7) and rows.advance((1, 5), b"a\r\nbc") == (2, 2)
    assert rows.line_count() == 3


def _random_text(rng: random.Random) -> bytes:
    return rng.choice([b"", b"x", b"ab", "😀".encode(), "é".encode(), b"\n", b"\r\n", b"q = 1;\n  ",
                       b"y" * rng.randint(1, 3000)])


def _char_boundary(data: bytes, offset: int) -> int:
    while 0 < offset < len(data) and 0x80 <= data[offset] < 0xC0:
        offset -= 1
    return offset


@pytest.mark.parametrize("seed", range(6))
def test_random_edits_of_the_display_are_the_same_edits_of_the_file(seed):
    """Random inserts, deletes, pastes and deletions across rows (breaks included) at display
    offsets: the file equals the display without its breaks, and the same edits applied to the
    file's text."""
    rng = random.Random(seed)
    source = b"top\n" + minified(25_000, seed) + b"\r\nend\n"
    rows = rowed(source)
    shadow = bytearray(source)
    for _ in range(300):
        display = rows.display_bytes()
        a = rng.randrange(len(display) + 1)
        b = min(len(display), a + rng.choice([0, 0, 1, 2, 5, 300, 4000]))
        a, b = _char_boundary(display, a), _char_boundary(display, b)
        new = _random_text(rng)
        start, end = rows.replace_display(a, b, new)
        shadow[start:end] = new
        for index in rows.misplaced_breaks(start + len(new)) + rows.misplaced_breaks(start):
            if index < len(rows.breaks):
                rows.remove_break(index)
        assert bytes(rows.file) == bytes(shadow)
        assert strip_breaks(rows) == bytes(shadow)
        assert rows.breaks == sorted(rows.breaks)
        if rng.random() < 0.1:   # the editor breaks long rows again
            for p in row_breaks(bytes(rows.file), 0, len(rows.file)):
                rows.add_break(p)
    assert bytes(rows.file) == bytes(shadow)


def test_spread_gives_a_break_the_filler():
    rows = RowedText(b"abcdef", [2, 4])
    assert rows.display_bytes() == b"ab\ncd\nef"
    assert rows.spread(0, 6, b"123456") == (0, b"12\x0034\x0056")
    assert rows.spread(2, 4, b"34") == (3, b"34")


def test_a_break_is_never_placed_at_a_line_end_or_inside_a_character():
    rows = RowedText("ab\ncd😀e".encode())
    assert rows.add_break(2) is None and rows.add_break(3) is None     # at the line's end / start
    assert rows.add_break(len(b"ab\ncd") + 1) is None                  # inside 😀
    assert rows.add_break(4) == 4 and rows.add_break(4) is None


def test_word_boundaries_for_ctrl_backspace_and_ctrl_delete():
    from plugin_studio.models.display_rows import word_end, word_start
    source = "a = fooBar_1(😀x);  \r\nnext".encode()
    caret = source.index(b"(")
    assert word_start(source, caret) == source.index(b"foo")          # the word before
    assert word_start(source, caret + 1) == caret                      # one punctuation run
    assert word_start(source, source.index(b"x)") + 1) == caret + 1    # 😀x is one word
    eol = source.index(b"\r\n")
    assert word_start(source, eol) == source.index(b");")              # the blanks, then ");" (as Scintilla)
    assert word_start(source, eol + 2) == eol                           # a CRLF on its own
    assert word_end(source, 0) == 1 and word_end(source, 1) == 2       # a word, then the blank
    assert word_end(source, eol) == eol + 2 and word_end(source, eol + 2) == len(source)


@pytest.mark.parametrize("size", [997, 4096, 10**6])
def test_the_display_in_chunks_is_the_display_at_once(size):
    from plugin_studio.models.display_rows import display_chunks
    source = b"a\n" + minified(30_000, seed=3) + b"\r\n" + "é".encode() * 12_000 + b"\nz"
    whole = rowed(source)
    chunks = list(display_chunks(source, size))
    assert [p for breaks, _display in chunks for p in breaks] == whole.breaks
    assert b"".join(display for _breaks, display in chunks) == whole.display_bytes()
