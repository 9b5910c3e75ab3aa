"""The editor's understanding of code, from tree-sitter syntax trees: highlighting, folding,
outline, diagnostics, completion and navigation. Pure Python over tree-sitter; no Qt here."""
