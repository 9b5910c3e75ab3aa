"""What plugin code can call, with signatures for completion, signature help and hover: React 18's
API (react.dev reference), the platform's ``pluginData`` (PLATFORM.md §3.3), the hook and event
systems (§2.1-2.2), and the props a widget receives (§7.1)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ApiEntry:
    name: str
    signature: str
    doc: str
    kind: str = "function"   # function | value | component


def _entries(rows: tuple) -> dict[str, ApiEntry]:
    return {row[0]: ApiEntry(*row) for row in rows}


REACT = _entries((
    ("useState", "useState(initialState) → [state, setState]", "State that survives re-renders."),
    ("useEffect", "useEffect(setup, dependencies?)", "Run side effects after render; return a cleanup."),
    ("useContext", "useContext(SomeContext) → value", "Read a context value."),
    ("useReducer", "useReducer(reducer, initialArg, init?) → [state, dispatch]", "State managed by a reducer."),
    ("useCallback", "useCallback(fn, dependencies) → fn", "The same function between renders until a dependency changes."),
    ("useMemo", "useMemo(calculateValue, dependencies) → value", "Cache a computed value between renders."),
    ("useRef", "useRef(initialValue) → {current}", "A mutable value that does not trigger a render."),
    ("useLayoutEffect", "useLayoutEffect(setup, dependencies?)", "An effect that runs before the browser paints."),
    ("useInsertionEffect", "useInsertionEffect(setup, dependencies?)", "For CSS-in-JS libraries: before layout effects."),
    ("useId", "useId() → string", "A unique id, stable across renders."),
    ("useTransition", "useTransition() → [isPending, startTransition]", "Mark state updates as non-urgent."),
    ("useDeferredValue", "useDeferredValue(value) → value", "A value that may lag behind during urgent updates."),
    ("useImperativeHandle", "useImperativeHandle(ref, createHandle, dependencies?)", "Customise what a ref exposes."),
    ("useDebugValue", "useDebugValue(value, format?)", "A label for a custom hook in React DevTools."),
    ("useSyncExternalStore", "useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot?)",
     "Subscribe to an external store."),
    ("createElement", "createElement(type, props, ...children) → element",
     "An element without JSX: the storefront's widgets must use it (PLATFORM.md §7.1)."),
    ("cloneElement", "cloneElement(element, props, ...children) → element", "A copy of an element with new props."),
    ("isValidElement", "isValidElement(value) → boolean", "Whether a value is a React element."),
    ("createContext", "createContext(defaultValue) → Context", "A context for components to provide and read."),
    ("createRef", "createRef() → {current}", "A ref object (class components)."),
    ("forwardRef", "forwardRef(render) → Component", "Let a component expose a DOM node to its parent."),
    ("memo", "memo(Component, arePropsEqual?) → Component", "Skip re-rendering when props are unchanged."),
    ("lazy", "lazy(load) → Component", "A component loaded on first render."),
    ("startTransition", "startTransition(scope)", "Mark a state update as a transition."),
    ("Fragment", "<Fragment>…</Fragment>", "Group elements without a wrapper node.", "component"),
    ("StrictMode", "<StrictMode>…</StrictMode>", "Find common bugs in development.", "component"),
    ("Suspense", "<Suspense fallback={…}>…</Suspense>", "Show a fallback while children load.", "component"),
    ("Children", "Children.map/forEach/count/only/toArray", "Work with props.children.", "value"),
    ("Component", "class X extends Component", "Base class for class components.", "value"),
    ("PureComponent", "class X extends PureComponent", "A class component that skips equal-prop renders.", "value"),
    ("version", "version: string", "React's version.", "value"),
))

PLUGIN_DATA = _entries((
    ("get", "pluginData.get(key) → Promise<value>", "This plugin's stored value for key (plugin_data), or null."),
    ("set", "pluginData.set(key, value, expiresAt = null) → Promise",
     "Store a JSON value for key; on the platform a second set of the same key may fail or duplicate the row "
     "(PLATFORM.md §3.3)."),
    ("delete", "pluginData.delete(key) → Promise", "Remove key."),
))

HOOK_SYSTEM = _entries((
    ("apply", "hookSystem.apply(name, value, ...args) → value",
     "Filter: each handler gets (value, ...args); undefined keeps the value (PLATFORM.md §2.1)."),
    ("applyAsync", "hookSystem.applyAsync(name, value, ...args) → Promise<value>", "Filter, awaiting each handler."),
    ("do", "hookSystem.do(name, ...args)", "Action: handlers run, their results are ignored, errors swallowed."),
    ("doAsync", "hookSystem.doAsync(name, ...args) → Promise", "Action, awaiting each handler in turn."),
    ("register", "hookSystem.register(name, handler, priority = 10) → unregister",
     "Lower priority runs first; ties keep registration order."),
    ("unregister", "hookSystem.unregister(name, handler)", "Remove the first registration of handler."),
    ("hasHandlers", "hookSystem.hasHandlers(name) → boolean", ""),
))

EVENT_SYSTEM = _entries((
    ("emit", "eventSystem.emit(name, ...args)",
     "Listeners run synchronously, errors swallowed; args are deep-copied into the history first "
     "(a circular payload throws before any listener runs, PLATFORM.md §2.2)."),
    ("emitAsync", "eventSystem.emitAsync(name, ...args) → Promise", "Listeners run concurrently."),
    ("on", "eventSystem.on(name, listener, priority = 10) → unsubscribe", ""),
    ("once", "eventSystem.once(name, listener, priority)",
     "Runs once; skips the next listener on that emit (a platform bug, PLATFORM.md §2.2)."),
    ("off", "eventSystem.off(name, listener)", "Cannot remove a once registration (PLATFORM.md §2.2)."),
    ("hasListeners", "eventSystem.hasListeners(name) → boolean", ""),
))

SLOT_DATA = ("product", "products", "category", "cart", "settings", "translations", "productLabels", "customOptions",
             "customOptionsLabel", "filters", "filterOptionStyles", "attributeLabelStyles", "activeFilterStyles",
             "filterableAttributes", "pagination", "activeFilters", "loginData")

NAME_ARGUMENT_METHODS = {**{m: "hook" for m in HOOK_SYSTEM}, **{m: "event" for m in EVENT_SYSTEM}}
