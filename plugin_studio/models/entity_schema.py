"""An entity as the editor shows it, and its ``schema_definition`` read and checked.

The file ``entities/<entity_name>.json`` is one JSON document::

    {"entity_name": "Visit", "table_name": "visits", "description": "...",
     "schema_definition": {"columns": [...], "indexes": [...], "foreignKeys": [...]}}

The schema's format is the platform's (PLATFORM.md §1.9, its ``PLUGIN_ARCHITECTURE.md``): a column is
``{name, type, primaryKey, nullable, default, unique, comment}``, an index ``{name, columns, order,
unique}``, a foreign key ``{column, references: "table(column)", onDelete, onUpdate}``. A default that is
a JSON number or boolean is that literal (``0`` and ``0.00`` included: the platform drops falsy
defaults, we keep them); a string is an SQL expression (``"now()"``, ``"'pending'"``).

Numbers are read as ``Decimal`` and written back as they were typed, so ``0.00`` stays ``0.00``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pglast import ast, parse_sql
from pglast.keywords import COL_NAME_KEYWORDS, RESERVED_KEYWORDS, TYPE_FUNC_NAME_KEYWORDS
from pglast.parser import ParseError

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MAX_IDENTIFIER = 63
FK_TARGET = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$")
FK_ACTIONS = ("CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION")
QUOTED = RESERVED_KEYWORDS | TYPE_FUNC_NAME_KEYWORDS | COL_NAME_KEYWORDS


class EntityError(ValueError):
    """The document can't be read; ``line``/``column`` point at the spot when known (1-based)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line, self.column = line, column


@dataclass
class EntityDocument:
    entity_name: str
    table_name: str
    description: str | None
    schema: dict[str, Any]


@dataclass(frozen=True)
class Problem:
    where: str       # "columns[2].default", "table_name"
    message: str
    severity: str = "error"  # error | warning


@dataclass
class Column:
    name: str
    type: str
    primary_key: bool = False
    nullable: bool = True
    default: str | None = None   # SQL text
    unique: bool = False
    comment: str | None = None

    @property
    def not_null(self) -> bool:
        return self.primary_key or not self.nullable


@dataclass
class Index:
    name: str
    columns: list[str]
    order: str | None = None
    unique: bool = False


@dataclass
class ForeignKey:
    column: str
    table: str
    ref_column: str
    on_delete: str | None = None
    on_update: str | None = None


@dataclass
class TableSpec:
    columns: list[Column] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)

    @property
    def primary_key(self) -> list[str]:
        return [c.name for c in self.columns if c.primary_key]


# ---- JSON with numbers as written -----------------------------------------------------------------

def loads(text: str) -> Any:
    """JSON with every non-integer number a Decimal (``0.00`` stays ``0.00``); EntityError with position."""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise EntityError(f"not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None


def _no_constant(name: str):
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


def dumps(value: Any, indent: int | None = 2, _level: int = 0) -> str:
    """JSON text of ``value`` with Decimals written as they are; ``indent`` None: compact.

    Written by hand because the json module can only write a Decimal through float, which loses
    the digits the user typed (0.00 → 0.0).
    """
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        items = [f"{json.dumps(str(k), ensure_ascii=False)}: {dumps(v, indent, _level + 1)}" for k, v in value.items()]
        return _join(items, "{", "}", indent, _level)
    if isinstance(value, list):
        return _join([dumps(v, indent, _level + 1) for v in value], "[", "]", indent, _level)
    return json.dumps(value, ensure_ascii=False)


def _join(items: list[str], opening: str, closing: str, indent: int | None, level: int) -> str:
    if not items:
        return opening + closing
    if indent is None:
        return opening + ", ".join(items) + closing
    inner, outer = " " * indent * (level + 1), " " * indent * level
    return opening + "\n" + ",\n".join(inner + item for item in items) + "\n" + outer + closing


# ---- the document -----------------------------------------------------------------------------------

def render_document(doc: EntityDocument) -> str:
    return dumps({"entity_name": doc.entity_name, "table_name": doc.table_name, "description": doc.description,
                  "schema_definition": doc.schema}) + "\n"


def document_from_row(entity_name: str, table_name: str, description: str | None, schema_text: str) -> EntityDocument:
    schema = loads(schema_text) if schema_text else {}
    return EntityDocument(entity_name, table_name, description, schema if isinstance(schema, dict) else {})


def parse_document(text: str) -> EntityDocument:
    """The document in ``text``; EntityError when it is not an entity (names and schema checked later)."""
    data = loads(text)
    if not isinstance(data, dict):
        raise EntityError("an entity file is a JSON object with entity_name, table_name and schema_definition", 1, 1)
    unknown = sorted(set(data) - {"entity_name", "table_name", "description", "schema_definition"})
    if unknown:
        raise EntityError(f"unknown keys {', '.join(unknown)}: an entity file has entity_name, table_name, "
                          "description and schema_definition (status and generated SQL are shown, not edited)")
    for key in ("entity_name", "table_name"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise EntityError(f"{key} is required (a non-empty string)")
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        raise EntityError("description is a string or null")
    schema = data.get("schema_definition")
    if not isinstance(schema, dict):
        raise EntityError("schema_definition is required: an object with columns (and indexes, foreignKeys)")
    return EntityDocument(data["entity_name"].strip(), data["table_name"].strip(), description, schema)


def schema_json(schema: dict[str, Any]) -> str:
    """The schema as compact JSON text for the jsonb column (numbers as written)."""
    return dumps(schema, indent=None)


# ---- names and SQL fragments ---------------------------------------------------------------------------

def ident(name: str) -> str:
    """``name`` as the generated SQL writes it: bare, as the platform writes it (so it folds to lower
    case the same way), quoted only where PostgreSQL would read a keyword."""
    return f'"{name.lower()}"' if name.lower() in QUOTED else name


def folded(name: str) -> str:
    """The name PostgreSQL stores for a bare identifier."""
    return name.lower()


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def default_sql(value: Any) -> str | None:
    """A schema default as SQL: numbers and booleans literally (0 and 0.00 kept), strings as written."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    return str(value).strip()


def check_type(text: str) -> str | None:
    """Why ``text`` is not one SQL type, or None."""
    try:
        statements = parse_sql(f"CREATE TABLE t (c {text})")
    except ParseError as exc:
        return f"{text!r} is not an SQL type: {exc.args[0]}"
    if len(statements) != 1 or len(statements[0].stmt.tableElts or ()) != 1:
        return f"{text!r} is not one SQL type"
    return None


def check_expression(text: str) -> str | None:
    """Why ``text`` can't be a column default, or None."""
    try:
        statements = parse_sql(f"SELECT {text}")
    except ParseError as exc:
        return f"{text!r} is not an SQL expression: {exc.args[0]}"
    stmt = statements[0].stmt if len(statements) == 1 else None
    if stmt is None or not isinstance(stmt, ast.SelectStmt) or stmt.fromClause or len(stmt.targetList or ()) != 1:
        return f"{text!r} is not one SQL expression"
    node = stmt.targetList[0].val
    if isinstance(node, ast.ColumnRef):
        return (f"{text!r} reads as the name of a column: write a text default in single quotes, "
                f"e.g. \"'{text}'\"")
    return None


# ---- reading and checking a schema ---------------------------------------------------------------------

def check_name(name: Any, what: str) -> str | None:
    """Why ``name`` can't name a table, column or index, or None."""
    if not isinstance(name, str) or not name:
        return f"{what} needs a name"
    if not IDENTIFIER.match(name):
        return f"{name!r} is not a valid {what} name: letters, digits and _, not starting with a digit"
    if len(name) > MAX_IDENTIFIER:
        return f"{name!r} is longer than PostgreSQL's {MAX_IDENTIFIER} characters"
    return None


def read_document(doc: EntityDocument) -> tuple[TableSpec, list[Problem]]:
    """The table the document describes and every problem found (errors block generating a migration)."""
    problems: list[Problem] = []
    table_problem = check_name(doc.table_name, "table")
    if table_problem:
        problems.append(Problem("table_name", table_problem))
    elif doc.table_name.lower().startswith("plugin_"):
        problems.append(Problem("table_name", "plugin_* tables are the platform's own: choose another table name"))
    elif doc.table_name != doc.table_name.lower():
        problems.append(Problem("table_name", f"{doc.table_name} is created as {doc.table_name.lower()} "
                                              "(names without quotes fold to lower case)", "warning"))
    spec = TableSpec()
    spec.columns = _read_columns(doc.schema.get("columns"), problems)
    names = {folded(c.name) for c in spec.columns}
    spec.indexes = _read_indexes(doc.schema.get("indexes"), names, problems)
    spec.foreign_keys = _read_foreign_keys(doc.schema.get("foreignKeys"), names, problems)
    return spec, problems


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def _items(value: Any, key: str, problems: list[Problem]) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.append(Problem(key, f"{key} is a list of objects"))
        return []
    return value


def _read_columns(value: Any, problems: list[Problem]) -> list[Column]:
    items = _items(value, "columns", problems)
    if not items and not any(p.where == "columns" for p in problems):
        problems.append(Problem("columns", "the table needs at least one column"))
    columns, seen = [], set()
    for i, item in enumerate(items):
        column = _read_column(item, f"columns[{i}]", problems)
        if column is None:
            continue
        if folded(column.name) in seen:
            problems.append(Problem(f"columns[{i}].name", f"two columns are named {column.name}"))
        seen.add(folded(column.name))
        columns.append(column)
    return columns


def _read_column(item: dict, where: str, problems: list[Problem]) -> Column | None:
    name_problem = check_name(item.get("name"), "column")
    if name_problem:
        problems.append(Problem(f"{where}.name", name_problem))
        return None
    type_text = item.get("type")
    if not isinstance(type_text, str) or not type_text.strip():
        problems.append(Problem(f"{where}.type", f"column {item['name']} needs a type (e.g. INTEGER, VARCHAR(255))"))
        return None
    type_problem = check_type(type_text)
    if type_problem:
        problems.append(Problem(f"{where}.type", type_problem))
    column = Column(item["name"], type_text.strip(), bool(item.get("primaryKey")), item.get("nullable") is not False,
                    default_sql(item.get("default")), bool(item.get("unique")), item.get("comment") or None)
    if isinstance(item.get("default"), str) and column.default:
        default_problem = check_expression(column.default)
        if default_problem:
            problems.append(Problem(f"{where}.default", default_problem))
    return column


def _read_indexes(value: Any, columns: set[str], problems: list[Problem]) -> list[Index]:
    indexes, seen = [], set()
    for i, item in enumerate(_items(value, "indexes", problems)):
        where = f"indexes[{i}]"
        name_problem = check_name(item.get("name"), "index")
        listed = item.get("columns")
        if name_problem:
            problems.append(Problem(f"{where}.name", name_problem))
            continue
        if not isinstance(listed, list) or not listed or not all(isinstance(c, str) for c in listed):
            problems.append(Problem(f"{where}.columns", f"index {item['name']} needs a list of column names"))
            continue
        missing = [c for c in listed if folded(c) not in columns]
        if missing:
            problems.append(Problem(f"{where}.columns", f"index {item['name']}: no column {', '.join(missing)}"))
        order = str(item.get("order") or "").upper() or None
        if order not in (None, "ASC", "DESC"):
            problems.append(Problem(f"{where}.order", "order is ASC or DESC"))
        if folded(item["name"]) in seen:
            problems.append(Problem(f"{where}.name", f"two indexes are named {item['name']}"))
        seen.add(folded(item["name"]))
        indexes.append(Index(item["name"], list(listed), order, bool(item.get("unique"))))
    return indexes


def _read_foreign_keys(value: Any, columns: set[str], problems: list[Problem]) -> list[ForeignKey]:
    keys = []
    for i, item in enumerate(_items(value, "foreignKeys", problems)):
        where = f"foreignKeys[{i}]"
        column, target = item.get("column"), _target(item.get("references"))
        if not isinstance(column, str) or folded(column) not in columns:
            problems.append(Problem(f"{where}.column", f"a foreign key's column must be one of the table's, not {column!r}"))
            continue
        if target is None:
            problems.append(Problem(f"{where}.references", 'references is "table(column)", e.g. "users(id)"'))
            continue
        actions = [str(item.get(k) or "").upper() or None for k in ("onDelete", "onUpdate")]
        for key, action in zip(("onDelete", "onUpdate"), actions):
            if action not in (None, *FK_ACTIONS):
                problems.append(Problem(f"{where}.{key}", f"{key} is one of {', '.join(FK_ACTIONS)}"))
        keys.append(ForeignKey(column, *target, *actions))
    return keys


def _target(value: Any) -> tuple[str, str] | None:
    if isinstance(value, dict) and isinstance(value.get("table"), str) and isinstance(value.get("column"), str):
        value = f"{value['table']}({value['column']})"
    match = FK_TARGET.match(value) if isinstance(value, str) else None
    return (match.group(1), match.group(2)) if match else None
