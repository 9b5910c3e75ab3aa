"""The React packages a widget preview loads, and the preview's own JavaScript.

React comes from npm at the versions pinned in ``resources/js/npm-lock.json`` (development builds:
the preview shows React's full error messages and warnings). Development builds for every render,
re-renders included, although the production build re-renders a large widget in about two thirds
of the time: Fast Refresh (state kept across edits) exists only in the development reconciler
(the production one has no ``scheduleRefresh``), and a tree one copy of React rendered can't be
continued by another, so production re-renders would cost the user's state on every edit and
the warnings of every render after the first. The host calls ``ensure_available``
before the first preview (the download may take longer than a worker call may run); the worker
then reads the files from the cache with ``module_sources``.

    ensure_available()                 # host side; NpmPackageError offline on first use
    sources = module_sources()         # {"react": "...", "react-reconciler": "...", ...}
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from plugin_studio.runner import npm_packages

# module name as `require` sees it -> (npm package, file in it)
PREVIEW_MODULES = {
    "react-refresh/runtime": ("react-refresh", "cjs/react-refresh-runtime.development.js"),
    "react": ("react", "cjs/react.development.js"),
    "scheduler": ("scheduler", "cjs/scheduler-unstable_mock.development.js"),  # see react_preview.js
    "react-reconciler": ("react-reconciler", "cjs/react-reconciler.development.js"),
    "react-reconciler/constants": ("react-reconciler", "cjs/react-reconciler-constants.development.js"),
}
SERVER_MODULE = ("react-dom", "cjs/react-dom-server-legacy.browser.development.js")
# browser_builtins.js: required on the widget's first use of Intl or toLocaleString, of structuredClone,
# URL or URLSearchParams, of AbortController or AbortSignal
LAZY_PACKAGES = ("intl", "core-js-pure", "abortcontroller-polyfill")
# Host globals each package sees as parameters of its module function (preview runtime passes them).
MODULE_PARAMS = ("module, exports, require, process, devtoolsHook, setImmediate, setTimeout, "
                 "clearTimeout, MessageChannel, performance, navigator, window, document")


def ensure_available() -> list[str]:
    """Download and verify every package the preview needs (cached after the first time).

    Raises ``npm_packages.NpmPackageError`` with a message for the user when they can't be had.
    """
    names = {package for package, _ in PREVIEW_MODULES.values()} | {SERVER_MODULE[0], *LAZY_PACKAGES}
    return [str(npm_packages.package_dir(name)) for name in sorted(names)]


@lru_cache(maxsize=None)
def module_sources() -> dict[str, str]:
    """The JavaScript of each preview module, read from the package cache."""
    return {module: npm_packages.read_text(package, path) for module, (package, path) in PREVIEW_MODULES.items()}


@lru_cache(maxsize=None)
def server_source() -> str:
    return npm_packages.read_text(*SERVER_MODULE)


def module_factory(source: str) -> str:
    """A package file as the function the preview's ``require`` calls.

    React's free name ``__REACT_DEVTOOLS_GLOBAL_HOOK__`` is a variable of the module's own:
    ``devtoolsHook(set)`` gives its first value, and ``set(hook)`` changes it later (react_preview.js
    creates the reconciler with none, then shows it React Refresh's hook). The package's code keeps
    its own function body, so its ``'use strict'`` prologue stays one."""
    return (f"(function ({MODULE_PARAMS}) {{\n"
            "var __REACT_DEVTOOLS_GLOBAL_HOOK__ = devtoolsHook(function (hook) { __REACT_DEVTOOLS_GLOBAL_HOOK__ = hook; });\n"
            f"return (function () {{\n{source}\n}}).call(this);\n}})")


@lru_cache(maxsize=None)
def own_source(name: str) -> str:
    """One of the preview's own JavaScript files (``resources/js``)."""
    return resources.files("plugin_studio").joinpath("resources/js", name).read_text(encoding="utf-8")
