"""The preview against React 18 in Node.js: every case of the conformance corpus, checkpoint by
checkpoint (tree, console lines, HTML), against the outputs recorded by ``conformance/generate.mjs``.

The recorded outputs are fixtures, so this runs without Node.js. A case listed in
``KNOWN_DIFFERENCES`` is expected to differ, for the reason given; any other difference fails.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from plugin_studio.runner.ops_widgets import WidgetEngine

sys.path.insert(0, str(Path(__file__).resolve().parent / "conformance"))
import corpus  # noqa: E402

KNOWN_DIFFERENCES: dict[str, str] = {
    "071_intl_formatting.js": "Intl is the `intl` package's (QuickJS has none; browser_builtins.js), whose CLDR data is "
                              "older than Chrome's: fr-FR groups digits with U+00A0 where Chrome uses U+202F, and an "
                              "en-GB {month: 'short', day: '2-digit'} shows the day unpadded ('1 Jan', Chrome '01 Jan')",
}
REQUIRED_MATCHES = 57


@pytest.fixture(scope="module")
def results() -> dict[str, str | None]:
    expected = corpus.expected_checkpoints()
    engine = WidgetEngine()
    return {case.name: corpus.compare(corpus.run_case(engine, case), expected[case.name]) for case in corpus.load_cases()}


def test_every_case_has_recorded_outputs():
    names = [case.name for case in corpus.load_cases()]
    assert len(names) >= 60
    assert sorted(corpus.expected_checkpoints()) == sorted(names), "run generate.mjs after adding or renaming a case"


def test_the_preview_renders_what_react_renders(results):
    differing = {name: problem for name, problem in results.items() if problem is not None}
    matched = len(results) - len(differing)
    unexplained = {name: problem for name, problem in differing.items() if name not in KNOWN_DIFFERENCES}
    assert not unexplained, "\n".join(f"{name}: {problem}" for name, problem in unexplained.items())
    assert matched >= REQUIRED_MATCHES, f"{matched} of {len(results)} cases match"
    fixed = [name for name in KNOWN_DIFFERENCES if results.get(name) is None]
    assert not fixed, f"these now match React: take them off KNOWN_DIFFERENCES: {fixed}"


def test_the_corpus_covers_every_api_the_issue_names():
    text = "\n".join(case.code for case in corpus.load_cases())
    apis = ["class ", "React.cloneElement", "React.createRef", "React.Children.only", "React.Children.forEach",
            "React.Children.map", "React.Children.count", "React.Children.toArray", "useImperativeHandle",
            "useSyncExternalStore", "useTransition", "useDeferredValue", "useInsertionEffect", "React.StrictMode",
            "React.Suspense", "React.Profiler", "React.lazy", "React.startTransition", "React.memo", "React.forwardRef",
            "useLayoutEffect", "stopPropagation", "preventDefault", "currentTarget", "dangerouslySetInnerHTML",
            "aria-", "data-", "strokeWidth", "WebkitLineClamp", "'--accent'", "1e21"]
    missing = [api for api in apis if api not in text]
    assert not missing
    html_cases = [case for case in corpus.load_cases() if case.html]
    assert len(html_cases) >= 8
