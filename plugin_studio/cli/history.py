"""``plugin-studio history PLUGIN [PATH]``, ``restore PLUGIN VERSION`` and ``tag PLUGIN VERSION NAME``:
the plugin's version history as the platform's editor keeps it (``services.history``)."""
from __future__ import annotations

import difflib
import sys

from plugin_studio.cli._common import CommandError, add_command, add_yes, confirm_write, database, print_json
from plugin_studio.db import plugins
from plugin_studio.db.history_records import Version
from plugin_studio.db.safe_text import shown
from plugin_studio.services import history


def register(subparsers) -> None:
    show = add_command(subparsers, "history", cmd_history, "list a plugin's versions, or one file's")
    show.add_argument("plugin", metavar="PLUGIN", help="plugin id, slug or name")
    show.add_argument("path", metavar="PATH", nargs="?", help="a file's path in the tree (utils/a.js, events/x.js)")
    show.add_argument("--diff", nargs=2, metavar=("FROM", "TO"),
                      help="with PATH: the file's changes between two versions (number, tag or id)")
    show.add_argument("--json", action="store_true", help="print the versions as JSON")

    restore = add_command(subparsers, "restore", cmd_restore,
                          "put a plugin back as it was at a version (recorded as a new version)")
    restore.add_argument("plugin", metavar="PLUGIN", help="plugin id, slug or name")
    restore.add_argument("version", metavar="VERSION", help="version number (1.0.3), tag or id")
    add_yes(restore)

    tag = add_command(subparsers, "tag", cmd_tag, "name a version of a plugin (or remove a name)")
    tag.add_argument("plugin", metavar="PLUGIN", help="plugin id, slug or name")
    tag.add_argument("version", metavar="VERSION", nargs="?", help="version number, tag or id (not with --delete)")
    tag.add_argument("name", metavar="NAME", help="the tag")
    tag.add_argument("--delete", action="store_true", help="remove the tag NAME")
    add_yes(tag)


def cmd_history(args) -> int:
    with database(args) as conn:
        plugin = plugins.find_plugin(conn, args.plugin)
        if args.diff:
            if not args.path:
                raise CommandError("--diff needs a PATH")
            return _print_diff(conn, plugin.id, args.path, *args.diff)
        if args.path:
            rows = [(v.version, v.text) for v in history.file_history(conn, plugin.id, args.path)]
            if not rows:
                raise CommandError(f"{shown(args.path)} has no history in {shown(plugin.name)}")
        else:
            rows = [(v, None) for v in history.versions(conn, plugin.id)]
    if args.json:
        print_json([_as_json(v, text) for v, text in rows])
    elif not rows:
        print("no versions recorded (saves record them; run `plugin-studio db init` if the database lacks the tables)")
    for version, text in rows if not args.json else ():
        print(_line(version, deleted=args.path is not None and text is None))
    return 0


def _line(v: Version, deleted: bool = False) -> str:
    when = v.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if v.created_at else "?"
    tags = f"  [{', '.join(shown(t) for t in v.tags)}]" if v.tags else ""
    mark = "*" if v.is_current else " "
    note = "  (deleted)" if deleted else ""
    return (f"{mark} {shown(v.version_number):<10} {when}  {shown(v.created_by_name or '?')}  {v.version_type:<8} "
            f"+{v.lines_added} -{v.lines_deleted}  {shown(v.commit_message or '')}{tags}{note}")


def _as_json(v: Version, text: str | None) -> dict:
    out = {"id": v.id, "version": v.version_number, "type": v.version_type, "parent": v.parent_version_id,
           "message": v.commit_message, "author": v.created_by_name, "author_id": v.created_by,
           "current": v.is_current, "published": v.is_published, "snapshot_distance": v.snapshot_distance,
           "files_changed": v.files_changed, "lines_added": v.lines_added, "lines_deleted": v.lines_deleted,
           "created_at": v.created_at.isoformat() if v.created_at else None, "tags": list(v.tags)}
    if text is not None:
        out["text"] = text
    return out


def _print_diff(conn, plugin_id: str, path: str, old_ref: str, new_ref: str) -> int:
    old = history.file_at(conn, plugin_id, old_ref, path)
    new = history.file_at(conn, plugin_id, new_ref, path)
    if old is None and new is None:
        raise CommandError(f"{shown(path)} is in neither version")
    sys.stdout.writelines(difflib.unified_diff(
        (old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True),
        fromfile=f"{path}@{old_ref}", tofile=f"{path}@{new_ref}"))
    return 0


def cmd_restore(args) -> int:
    confirm_write(args, f"restore {args.plugin} to version {args.version}")
    with database(args) as conn:
        plugin = plugins.find_plugin(conn, args.plugin)
        version = history.restore(conn, plugin.id, args.version)
    print(f"restored {shown(plugin.name)}: {shown(version.commit_message)} (new version {version.version_number})")
    return 0


def cmd_tag(args) -> int:
    confirm_write(args, f"{'remove' if args.delete else 'add'} the tag {args.name} of {args.plugin}")
    with database(args) as conn:
        plugin = plugins.find_plugin(conn, args.plugin)
        if args.delete:
            if not history.untag(conn, plugin.id, args.name):
                raise CommandError(f"{shown(plugin.name)} has no tag {shown(args.name)}")
            print(f"removed tag {shown(args.name)}")
            return 0
        if not args.version:
            raise CommandError("give the VERSION to tag")
        version = history.tag(conn, plugin.id, args.version, args.name)
    print(f"tagged {version.version_number} {shown(args.name)}")
    return 0
