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
    """The current format with everything the platform writes, plus keys we have no table for."""
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
        "entities": [{"name": "LoyaltyAccount", "fields": [{"name": "balance", "type": "integer"}]}],
        "controllers": [{"path": "/points", "method": "GET", "code": "function (req) { return 1; }"}],
        "pluginDocs": [{"title": "Guide", "content": "How points work"}],
        "adminPages": [],
        "adminScripts": [],
        "cronJobs": [{"schedule": "0 3 * * *", "handler": "expirePoints"}],
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
