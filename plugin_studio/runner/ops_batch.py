"""Worker op ``chain.batch``: many values through a chain, no trace (throughput; ``chain.apply_filters_batch``)."""
from __future__ import annotations

from plugin_studio.runner.ops_chain import define


def batch(state, payload: dict) -> dict:
    """Run ``values`` (tagged JSON text of an array) with ``args`` (tagged JSON text of one arguments array,
    the same for every value) through ``segments`` ``[[plugin_id, [handlers]], ...]``.

    Returns ``{"values": tagged JSON text of the array of results, "errors": [[item, row id, error], ...]}``,
    where the item is None for a handler that did not load (an error of every value).
    The values stay text in the worker: each plugin's interpreter parses the array once and writes it once.
    """
    values, args, per_item = payload["values"], payload["args"], False
    mode = payload["mode"]
    segments = payload["segments"]
    errors: list = []
    for number, (plugin_id, handlers) in enumerate(segments):
        ctx = state.context(plugin_id)
        keys = []
        for handler in handlers:
            failure = define(state, ctx, handler)
            if failure is not None:
                errors.append([None, handler["key"], failure.to_dict()])
            else:
                keys.append(handler["key"])
        if not keys:
            continue
        need_args = number < len(segments) - 1
        out = ctx.call("batch", mode, keys, values, args, per_item, need_args)
        values = out["values"]
        if need_args:
            args, per_item = out["args"], True
        errors += [[i, key, ctx.error_from(e).to_dict()] for i, key, e in out["errors"]]
    return {"values": values, "errors": errors}


OPS = {"chain.batch": batch}
