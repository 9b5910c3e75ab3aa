"""Packages written by hand from the platform's description, for the package tests."""
from __future__ import annotations

import json
from pathlib import Path


def older_package() -> dict:
    """The platform's older format: no migrations or data, events without ``fileName``."""
    return {
        "packageVersion": "1.0",
        "exportedAt": "2024-03-01T10:00:00.000Z",
        "exportedBy": "admin@shop.example",
        "plugin": {"name": "Wishlist", "slug": "wishlist", "version": "0.9.0", "description": "Saves products",
                   "category": "catalog", "author": "Shop"},
        "files": [{"name": "utils/storage.js", "content": "export function load() { return []; }\n"}],
        "events": [
            {"eventName": "product.viewed", "listenerCode": "function (data) { return data; }", "priority": 10},
            {"eventName": "cart.item_added", "listenerCode": "function (data) { return 1; }", "priority": 5},
        ],
        "hooks": [{"hookName": "product.price", "hookType": "filter",
                   "handlerCode": "function (price) { return price; }", "priority": 10}],
        "widgets": [{"widgetId": "wishlist-button", "widgetName": "Wishlist button", "description": "A heart",
                     "componentCode": "function W() { return React.createElement('button', null, '♥'); }",
                     "defaultConfig": "{\"color\": \"red\"}", "category": "product", "icon": "heart"}],
        "installation": {"isEnabled": False, "isInstalled": True},
    }


def current_package() -> dict:
    """An older Plugin Studio package (migrations as ``{version, name, upSql}``, ``pluginData`` as an
    object, ``scriptType``/``loadPriority``), plus keys no table holds; the platform-only sections empty."""
    return {
        "packageVersion": "2.0",
        "exportedAt": "2025-01-02T03:04:05.000Z",
        "exportedBy": "admin@shop.example",
        "plugin": {
            "name": "Loyalty Points", "slug": "loyalty-points", "version": "1.2.0", "description": "Points per order",
            "type": "custom", "category": "marketing", "author": "ACME", "status": "active", "framework": "react",
            "manifest": {"name": "Loyalty Points", "version": "1.2.0", "settings": {"rate": 0.05}},
            "permissions": ["orders:read"], "dependencies": [], "tags": ["loyalty", "orders"],
            "isEnabled": True, "isInstalled": True, "isPublic": False,
            "id": "7b4c7f7e-0000-4000-8000-000000000001", "createdAt": "2024-12-01T00:00:00Z",
            "marketplaceListing": {"id": 42, "featured": True},
        },
        "files": [
            {"name": "utils/points.js", "content": "export const rate = 0.05;\n", "scope": "backend",
             "scriptType": "js", "loadPriority": 5, "enabled": True},
            {"name": "styles/points.css", "content": ".points { color: gold; }\n", "scope": "frontend",
             "scriptType": "css", "loadPriority": 10, "enabled": False},
            {"name": "README.md", "content": "# Loyalty\n"},
        ],
        "events": [
            {"eventName": "order.completed", "fileName": "award_points.js", "priority": 10,
             "listenerCode": "function awardPoints(order) { return order.total; }"},
            {"eventName": "order.completed", "fileName": "notify_customer.js", "priority": 10,
             "listenerCode": "function notify(order) { return 'sent'; }", "enabled": False},
            {"eventName": "cart.viewed", "fileName": "show_balance.js", "priority": 1,
             "listenerCode": "(cart) => cart.items.length"},
        ],
        "hooks": [
            {"hookName": "product.price", "hookType": "filter", "priority": 5,
             "handlerCode": "function (price) { return price * 0.95; }"},
            {"hookName": "order.created", "hookType": "action", "priority": 10, "enabled": False,
             "handlerCode": "function (order) { console.log(order.id); }"},
        ],
        "widgets": [
            {"widgetId": "points-balance", "widgetName": "Points balance", "description": "Shows the balance",
             "componentCode": "function PointsBalance({config}) { return React.createElement('span', null, config.label); }",
             "defaultConfig": {"label": "Your points"}, "category": "account", "icon": "star"},
        ],
        "migrations": [
            {"version": "1.0.0", "name": "create_points", "description": "Points ledger",
             "upSql": "CREATE TABLE loyalty_points (id serial PRIMARY KEY, customer text, points int);",
             "downSql": "DROP TABLE loyalty_points;", "checksum": "c0ffee", "status": "pending"},
            {"version": "1.1.0", "name": "add_index", "upSql": "CREATE INDEX lp_customer ON loyalty_points (customer);",
             "downSql": "DROP INDEX lp_customer;", "status": "pending"},
        ],
        "pluginData": {"api_key": "sk_live_secret_123", "settings": {"tiers": ["gold", "silver"], "rate": 0.05}},
        "pluginDependencies": [{"packageName": "lodash.round", "version": "4.0.4",
                                "bundledCode": "module.exports = function round(x) { return Math.round(x); };"}],
        "entities": [], "controllers": [], "pluginDocs": [], "adminPages": [], "adminScripts": [], "cronJobs": [],
        "installation": {"isEnabled": True, "isInstalled": True, "installedAt": "2024-12-01T00:00:00Z"},
        "marketplace": {"channel": "stable"},
    }


def write(tmp_path: Path, package, name: str = "package.json") -> Path:
    path = tmp_path / name
    if isinstance(package, bytes):
        path.write_bytes(package)
    elif isinstance(package, str):
        path.write_text(package, encoding="utf-8")
    else:
        path.write_text(json.dumps(package), encoding="utf-8")
    return path


# Numbers jsonb keeps exactly and a double would not: written into the packages below as JSON text.
EXACT_NUMBERS = ("19.990000000000000001", "1e-400", "1e400", "0.12345678901234567890123",
                 "9007199254740993", "-123456789012345678901234567890")


def head_package_text() -> str:
    """The platform's current export (``GET /api/plugins/:id/export``, PLATFORM.md §5.1) of a plugin
    with a row in every section, as JSON text: migrations as ``{name, pluginName, migrationVersion,
    code}``, ``pluginData`` as an array of ``{dataKey, dataValue}``, key order as the platform writes
    it. The numbers of ``EXACT_NUMBERS`` are in pluginData, a widget's defaultConfig and an entity's
    schema, as text no float can hold."""
    numbers = ", ".join(EXACT_NUMBERS)
    package = head_package_without_numbers()
    text = json.dumps(package, indent=2, ensure_ascii=False)
    return (text.replace('"@NUMBERS@"', f"[{numbers}]")
                .replace('"@PRICE@"', "19.990000000000000001"))


def head_package_without_numbers() -> dict:
    return {
        "packageVersion": "1.0.0",
        "exportedAt": "2026-11-02T09:15:00.123Z",
        "plugin": {
            "name": "Gift Wrap", "slug": "gift-wrap", "version": "2.1.0", "description": "Wraps gifts at checkout",
            "author": "Hamid", "category": "commerce", "type": "custom", "framework": "react",
            "manifest": {"name": "Gift Wrap", "version": "2.1.0", "price": "@PRICE@", "limits": "@NUMBERS@"},
            "permissions": ["cart:write"], "dependencies": [], "tags": ["gift", "checkout"],
        },
        "files": [
            {"name": "components/WrapOption.jsx", "content": "export default function WrapOption() { return null; }\n",
             "type": "jsx", "scope": "frontend", "priority": 0},
            {"name": "services/pricing.js", "content": "export const fee = (cart) => cart.total * 0.02;\n",
             "type": "js", "scope": "backend", "priority": 2},
            {"name": "styles/wrap.css", "content": ".wrap { color: red; }\n", "type": "css", "scope": "frontend",
             "priority": 1},
        ],
        "events": [
            {"eventName": "cart.viewed", "fileName": "cart_viewed.js", "priority": 10,
             "listenerCode": "export default function onCartViewed(data) {\n  console.log(data);\n}\n"},
            {"eventName": "order.completed", "fileName": "thank_you.js", "priority": 5,
             "listenerCode": "export default function thanks(order) { return order.id; }\n"},
        ],
        "hooks": [
            {"hookName": "cart.total", "hookType": "filter", "priority": 20,
             "handlerCode": "function (total) { return total + 2; }"},
            {"hookName": "order.placed", "hookType": "action", "priority": 10,
             "handlerCode": "function (order) { console.log(order.id); }"},
        ],
        "widgets": [
            {"widgetId": "wrap-option", "widgetName": "Wrap option", "description": "Checkbox at checkout",
             "componentCode": "function WrapOption({config}) { return React.createElement('label', null, config.label); }",
             "defaultConfig": {"label": "Gift wrap", "fees": "@NUMBERS@"}, "category": "checkout", "icon": "Gift"},
        ],
        "entities": [
            {"name": "GiftWrap", "tableName": "gift_wraps", "code": "class GiftWrap {}\n",
             "schemaDefinition": {"columns": [{"name": "price", "type": "numeric", "default": "@PRICE@"}]},
             "description": "Wraps chosen per order"},
        ],
        "migrations": [
            {"name": "add_note", "pluginName": "Gift Wrap", "migrationVersion": "20250201_090000",
             "code": "ALTER TABLE gift_wraps ADD COLUMN note text;"},
            {"name": "create_gift_wraps", "pluginName": "Gift Wrap", "migrationVersion": "20250101_120000",
             "code": "CREATE TABLE gift_wraps (id serial PRIMARY KEY, order_id uuid, price numeric);"},
        ],
        "controllers": [
            {"name": "listWraps", "method": "GET", "path": "/api/plugins/gift-wrap/exec/wraps",
             "code": "async function handler(req, res, { sequelize }) { return res.json([]); }",
             "description": "Lists wraps"},
        ],
        "pluginData": [
            {"dataKey": "fees", "dataValue": "@NUMBERS@"},
            {"dataKey": "welcome", "dataValue": {"text": "Thanks!", "price": "@PRICE@"}},
        ],
        "pluginDependencies": [
            {"packageName": "lodash.round", "version": "4.0.4",
             "bundledCode": "module.exports = function round(x) { return Math.round(x); };"},
        ],
        "pluginDocs": [
            {"title": "README", "content": "# Gift Wrap\n", "category": "readme", "orderPosition": 0,
             "fileName": "README.md"},
            {"title": "Changelog", "content": "## 2.1.0\n- fees\n", "category": "changelog", "orderPosition": 1,
             "fileName": "CHANGELOG.md"},
        ],
        "adminPages": [
            {"pageKey": "wraps", "pageName": "Gift wraps", "route": "/admin/plugins/gift-wrap/wraps",
             "componentCode": "export default function WrapsPage() { return null; }", "description": "All wraps",
             "icon": "Gift", "category": "sales", "orderPosition": 50},
        ],
        "adminScripts": [
            {"scriptName": "wrap-badge", "scriptCode": "console.log('badge');", "description": "Badge in orders",
             "loadOrder": 20},
        ],
        "cronJobs": [
            {"cronName": "purge-old-wraps", "cronSchedule": "0 3 * * *", "handlerMethod": "purgeOldWraps",
             "description": "Purges wraps older than a year", "isEnabled": False},
        ],
    }
