"""SQL text shared by the store backends: checked names, JSON encoding, WHERE and ORDER BY clauses.

Each backend passes its parameter mark (``?`` for SQLite, ``%s`` for psycopg) and whether it
needs explicit ``NULLS FIRST/LAST`` so that every backend orders rows the way SQLite does
(NULL is the smallest value).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from clearspace.errors import StoreError
from clearspace.store.base import Op, Where
from clearspace.store.schema import BOOL_COLUMNS, JSON_COLUMNS, KEYS

_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_OPS = frozenset({"<", "<=", ">", ">=", "!="})


def column(name: str) -> str:
    """``name`` if it is a plain lower-case identifier, else StoreError (nothing else reaches SQL)."""
    if not _IDENT.match(name):
        raise StoreError(f"invalid column name {name!r}")
    return name


def table(name: str) -> str:
    """``name`` if it is one of the schema's tables, else StoreError."""
    if name not in KEYS:
        raise StoreError(f"unknown table {name!r} (known: {', '.join(sorted(KEYS))})")
    return name


def columns_sql(columns: Sequence[str] | None) -> str:
    """``*`` or the checked, comma-separated column names."""
    return "*" if not columns else ", ".join(column(c) for c in columns)


def encode(table_name: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """The row with its JSON columns serialized to text and its flags as 0/1."""
    json_cols = JSON_COLUMNS.get(table_name, frozenset())
    out = {k: orjson.dumps(v).decode() if k in json_cols else v for k, v in row.items()}
    for k in BOOL_COLUMNS.get(table_name, frozenset()) & out.keys():
        if out[k] is not None:
            out[k] = int(bool(out[k]))
    return out


def decode_json(table_name: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """The row with its JSON columns parsed back into Python values and its flags as ``bool``."""
    json_cols = JSON_COLUMNS.get(table_name, frozenset())
    out = {k: orjson.loads(v) if k in json_cols and v is not None else v for k, v in row.items()}
    return decode_flags(table_name, out)


def decode_flags(table_name: str, row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with its flag columns (:data:`~clearspace.store.schema.BOOL_COLUMNS`) turned into ``bool``."""
    for k in BOOL_COLUMNS.get(table_name, frozenset()) & row.keys():
        if row[k] is not None:
            row[k] = bool(row[k])
    return row


def where_sql(where: Where | None, mark: str = "?") -> tuple[str, list[Any]]:
    """`` WHERE ...`` (or nothing) and its parameters, every condition joined with AND."""
    if not where:
        return "", []
    parts: list[str] = []
    params: list[Any] = []
    for name, value in where.items():
        col = column(name)
        if value is None:
            parts.append(f"{col} IS NULL")
        elif isinstance(value, Op) and value.op == "in":
            values = list(value.value)
            if not values:
                parts.append("1 = 0")
                continue
            parts.append(f"{col} IN ({', '.join([mark] * len(values))})")
            params.extend(values)
        elif isinstance(value, Op) and value.op == "between":
            lo, hi = value.value
            parts.append(f"{col} >= {mark} AND {col} <= {mark}")
            params.extend((lo, hi))
        elif isinstance(value, Op):
            if value.op not in _OPS:
                raise StoreError(f"unknown operator {value.op!r}")
            parts.append(f"{col} {value.op} {mark}")
            params.append(value.value)
        else:
            parts.append(f"{col} = {mark}")
            params.append(value)
    return " WHERE " + " AND ".join(parts), params


def order_sql(order_by: Sequence[str], *, explicit_nulls: bool = False) -> str:
    """`` ORDER BY ...`` (or nothing); ``-name`` sorts descending. NULL sorts first ascending."""
    if not order_by:
        return ""
    asc, desc = (" NULLS FIRST", " NULLS LAST") if explicit_nulls else ("", "")
    terms = [f"{column(o[1:])} DESC{desc}" if o.startswith("-") else f"{column(o)} ASC{asc}" for o in order_by]
    return " ORDER BY " + ", ".join(terms)
