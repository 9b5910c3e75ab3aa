"""The hook and event names the platform knows, with the arguments they are called with.

Sources (PLATFORM.md §2.3): the storefront's and the admin's call sites at the platform's HEAD
(``hookSystem.apply``/``do`` for filters/actions, ``eventSystem.emit`` for events), and the
platform's event catalogue (``src/constants/PluginEvents.js``), whose names are listed for the
editor's event picker but are never called. Argument shapes are written from the call sites.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

CART_CONTEXT = "{store, settings, taxes, selectedCountry, currencySymbol, sessionId}"
CART_TOTALS = "items, subtotal, discount, tax, total"


@dataclass(frozen=True)
class PlatformName:
    """``kind``: filter (``apply``: return the value), action (``do``) or event (``emit``)."""
    name: str
    kind: str
    arguments: str
    where: str
    returns: str = ""
    called: bool = True

    @property
    def is_event(self) -> bool:
        return self.kind == "event"

    def documentation(self) -> str:
        """One paragraph for a completion list or a hover."""
        verb = {"filter": "hookSystem.apply", "action": "hookSystem.do", "event": "eventSystem.emit"}[self.kind]
        text = f"{self.name} — {self.kind}: {verb}('{self.name}', {self.arguments})"
        if self.returns:
            text += f"\nreturn: {self.returns}"
        text += f"\n{self.where}"
        if not self.called:
            text += "\nlisted in the platform's catalogue, but nothing calls it (PLATFORM.md §2.3)"
        return text


def _cart(name, kind, arguments, returns=""):
    return PlatformName(name, kind, arguments, "called by the storefront's Cart page", returns)


STOREFRONT = (
    _cart("cart.getCurrencySymbol", "filter", "symbol, {store, settings}", "the symbol to show"),
    _cart("cart.beforeLoadItems", "filter", f"true, {CART_CONTEXT}", "false to skip loading the cart"),
    _cart("cart.processLoadedItems", "filter", f"items, {CART_CONTEXT}",
          "the items to show (also called with [] for an empty cart)"),
    _cart("cart.beforeUpdateQuantity", "filter",
          "true, {itemId, currentQuantity, newQuantity, item, ...cartContext}", "false to refuse the change"),
    _cart("cart.validateQuantity", "filter", "quantity, {item, maxStock, ...cartContext}", "the quantity to use"),
    _cart("cart.beforeRemoveItem", "filter", "true, {itemId, item, ...cartContext}", "false to keep the item"),
    _cart("cart.beforeCheckout", "filter", f"{{{CART_TOTALS}, canProceed}}, {CART_CONTEXT}",
          "the object; canProceed false blocks checkout"),
    _cart("cart.getCheckoutUrl", "filter", f"url, {{{CART_TOTALS}, canProceed, ...cartContext}}", "the URL to go to"),
    _cart("cart.afterLoadItems", "action", "{items, ...cartContext}"),
    _cart("cart.afterUpdateQuantity", "action", "{itemId, oldQuantity, newQuantity, item, ...cartContext}"),
    _cart("cart.afterRemoveItem", "action", "{itemId, removedItem, ...cartContext}"),
    _cart("cart.loadingStarted", "event", CART_CONTEXT),
    _cart("cart.itemsLoaded", "event", "{items, ...cartContext}"),
    _cart("cart.quantityUpdated", "event", "{itemId, oldQuantity, newQuantity, item, ...cartContext}"),
    _cart("cart.itemRemoved", "event", "{itemId, removedItem, ...cartContext}"),
    _cart("cart.removeError", "event", "{error, itemId, ...cartContext}"),
    _cart("cart.checkoutBlocked", "event", "{reason, ...cartContext}"),
    _cart("cart.checkoutStarted", "event", f"{{{CART_TOTALS}, canProceed, checkoutUrl, ...cartContext}}"),
    _cart("cart.viewed", "event", f"{{{CART_TOTALS}, ...cartContext}} (again whenever one of them changes)"),
    PlatformName("system.ready", "event", "{timestamp, extensionsLoaded, hooksRegistered, databasePluginsLoaded}",
                 "emitted by the storefront once plugins are registered"),
    PlatformName("system.error", "event", "{error, timestamp}", "emitted when the storefront's plugin start-up fails"),
    PlatformName("extension.loaded", "event", "{extensionId, extension}", "emitted by the extension system"),
    PlatformName("extension.unloaded", "event", "{extensionId, extension}", "emitted by the extension system"),
)

_ADMIN_EDITOR = "called by the admin's AI workspace code editor (not on the storefront)"
_VERSIONS = "called by the admin's version system (not on the storefront)"
ADMIN = (
    PlatformName("codeEditor.beforeChange", "filter", "newCode, {fileName, language, originalCode}", _ADMIN_EDITOR,
                 "the code to keep"),
    PlatformName("codeEditor.lineReverted", "action", "{fileName, lineIndex, originalLine, newCode}", _ADMIN_EDITOR),
    PlatformName("codeEditor.blockReverted", "action", "{fileName, startLine, endLine, newCode}", _ADMIN_EDITOR),
    PlatformName("codeEditor.codeChanged", "event", "{fileName, oldCode, newCode, language}", _ADMIN_EDITOR),
    PlatformName("codeEditor.fileSaved", "event", "{fileName, content, language}", _ADMIN_EDITOR),
    PlatformName("version.beforeCreateRelease", "filter", "releaseData, {currentVersion, existingReleases}", _VERSIONS,
                 "the release data"),
    PlatformName("version.afterCreateRelease", "action", "{release}", _VERSIONS),
    PlatformName("version.releaseCreated", "event", "{release}", _VERSIONS),
    PlatformName("version.beforePublishRelease", "filter", "true, {release, publishOptions}", _VERSIONS,
                 "false to refuse"),
    PlatformName("version.afterPublishRelease", "action", "{release, previousVersion}", _VERSIONS),
    PlatformName("version.releasePublished", "event", "{release, previousVersion}", _VERSIONS),
    PlatformName("version.beforeRollback", "filter", "true, {currentVersion, targetVersion, rollbackReason}",
                 _VERSIONS, "false to refuse"),
    PlatformName("version.afterRollback", "action", "{rollbackRecord, previousVersion, currentVersion}", _VERSIONS),
    PlatformName("version.rollbackPerformed", "event", "{rollbackRecord, previousVersion, currentVersion}", _VERSIONS),
    PlatformName("version.compareVersions", "filter", "comparison, {version1, version2}", _VERSIONS, "the comparison"),
    PlatformName("version.validateReleaseData", "filter", "true, {releaseData}", _VERSIONS, "false to refuse"),
)

_CATALOGUE_EVENTS = (
    "product.before_save", "product.after_save", "product.view", "product.list", "cart.add_item",
    "cart.remove_item", "cart.update_quantity", "cart.before_checkout", "order.before_create", "order.after_create",
    "order.status_change", "order.cancel", "customer.login", "customer.register", "customer.before_save",
    "customer.after_save", "page.render_before", "page.render_after", "widget.render", "admin.page_load",
)
_CATALOGUE_HOOKS = ("product.price", "product.data", "cart.item_price", "cart.total", "checkout.fields",
                    "email.content")
CATALOGUE = tuple(PlatformName(n, "event", "…", "in the platform's event catalogue", called=False)
                  for n in _CATALOGUE_EVENTS) + \
    tuple(PlatformName(n, "filter", "…", "in the platform's hook catalogue", called=False) for n in _CATALOGUE_HOOKS)

KNOWN: dict[str, PlatformName] = {n.name: n for n in CATALOGUE + ADMIN + STOREFRONT}


def known_name(name: str) -> PlatformName | None:
    return KNOWN.get(name)


def nearest(name: str, candidates) -> str | None:
    """The candidate most like ``name`` (a typo's likely intent), or None if none is close."""
    found = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.75)
    return found[0] if found and found[0] != name else None


@dataclass(frozen=True)
class KnownNames:
    """The names a plugin may rely on: the platform's, plus ``occurrences`` found in the database as
    ``(name, kind, table, row_id, registered)`` (kind: hook | event; registered: a handler row's
    own name, else a name passed in code)."""
    occurrences: tuple = ()

    def names(self, kind: str, *, besides: tuple[str, str] | None = None) -> set[str]:
        """Known names of ``kind`` (hook | event), leaving out what the row ``besides`` (table,
        row id) contributes, so a file never vouches for its own typo."""
        platform = {n.name for n in KNOWN.values() if (n.kind == "event") == (kind == "event")}
        found = {name for name, k, table, row_id, _registered in self.occurrences
                 if k == kind and (table, row_id) != besides}
        return platform | found

    def for_check(self, besides: tuple[str, str] | None = None) -> dict[str, set[str]]:
        return {"hook": self.names("hook", besides=besides), "event": self.names("event", besides=besides)}

    def describe(self, name: str) -> str:
        """Documentation of a name: the platform's, or where plugins use it."""
        if name in KNOWN:
            return KNOWN[name].documentation()
        uses = [o for o in self.occurrences if o[0] == name]
        rows = sum(1 for o in uses if o[4])
        return f"{name} — used by plugins: {rows} handler row(s), {len(uses) - rows} call(s) in code"
