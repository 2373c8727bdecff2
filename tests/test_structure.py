"""The package's structure, checked by reading its source (issue 13): no module imports another
module's underscore names, SQL is written only in the store package, and no stage module
(eventwire/stages/*) performs I/O: files, the clock, the environment and the loaders all come
in through resources.py and the component's constructor.

Each scan is also run on a small sample of offending source, so a scan that stopped finding
anything would fail here rather than pass silently."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "eventwire"
STORE = PACKAGE / "store"
STAGES = PACKAGE / "stages"


def _modules(root: Path = PACKAGE) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


# ------------------------------------------------------------------ (a) private names

def _ours(node: ast.ImportFrom) -> bool:
    return bool(node.level) or (node.module or "").split(".")[0] == "eventwire"


def private_imports(source: str) -> list[str]:
    """`from m import _name` and `m._name` where m is one of eventwire's modules (dunders are
    public; the standard library's internals are outside this rule)."""
    tree = ast.parse(source)
    found, modules = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(a.asname or a.name for a in node.names if a.name.split(".")[0] == "eventwire")
        elif isinstance(node, ast.ImportFrom) and _ours(node):
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__"):
                    found.append(f"line {node.lineno}: from {'.' * node.level}{node.module or ''} import {a.name}")
                else:  # `from . import x`: x may be a module
                    modules.add(a.asname or a.name)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


# Offences in modules other lanes own, each named with its owner; strict, so the mark must go
# the day the import does.
KNOWN_PRIVATE_IMPORTS: dict[str, str] = {}  # none left since store's services package (batch 1)


def _marked(paths: list[Path], known: dict[str, str]) -> list:
    return [pytest.param(p, id=_rel(p), marks=[pytest.mark.xfail(strict=True, reason=known[_rel(p)])] if _rel(p) in known else [])
            for p in paths]


@pytest.mark.parametrize("path", _marked(_modules(), KNOWN_PRIVATE_IMPORTS))
def test_no_module_imports_another_modules_underscore_names(path):
    found = private_imports(path.read_text("utf-8"))
    assert not found, f"{_rel(path)} uses another module's private names {found}: make them public there (no underscore)"


# ------------------------------------------------------------------ (b) SQL only in the store

# SQL keywords as the store writes them (capitals); lower-case SQL would still need an execute call
_SQL = re.compile(r"\bSELECT\b[\s\S]+?\bFROM\b|\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
                  r"|\b(?:CREATE|DROP|ALTER)\s+(?:TABLE|INDEX|VIEW)\b|\bPRAGMA\s+\w+|\bBEGIN\s+(?:IMMEDIATE|TRANSACTION)\b")


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def sql_strings(source: str) -> list[str]:
    """String literals (f-string parts included, docstrings not) that read as SQL, and calls of
    a database cursor's execute methods."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            if _SQL.search(node.value):
                found.append(f"line {node.lineno}: {node.value.strip()[:60]!r}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in ("execute", "executemany", "executescript")):
            found.append(f"line {node.lineno}: .{node.func.attr}(...)")
    return found


def test_only_the_store_package_contains_sql():
    offences = {_rel(p): f for p in _modules() if STORE not in p.parents and (f := sql_strings(p.read_text("utf-8")))}
    assert not offences, f"SQL outside eventwire/store/ (build it in the store package and call that): {offences}"


# ------------------------------------------------------------------ (c) stages perform no I/O

_IO_FUNCTIONS = {"open", "input", "print"}
_IO_METHODS = {"read_text", "read_bytes", "write_text", "write_bytes", "open", "exists", "is_file", "iterdir",
               "glob", "rglob", "mkdir", "unlink"}
_CLOCK = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("time", "time")}
_IO_MODULES = {"os", "pathlib", "shutil", "tempfile", "io", "importlib", "logging", "sqlite3", "urllib.request",
               "requests", "subprocess", "socket", "http"}
_PACKAGE_LOADERS = {"resources", "config", "store", "inputs"}  # reaching these from a stage loads files


def _io_module(name: str) -> bool:
    parts = name.split(".")
    return any(".".join(parts[:i]) in _IO_MODULES for i in range(1, len(parts) + 1))


def stage_io(source: str) -> list[str]:
    """Calls and imports by which a module reads or writes files, the clock or the environment."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names if _io_module(a.name)]
        elif isinstance(node, ast.ImportFrom):
            root = (node.module or "").split(".")[0]
            if node.level == 0 and _io_module(node.module or ""):
                found.append(f"line {node.lineno}: from {node.module} import ...")
            elif node.level and (root in _PACKAGE_LOADERS or (not node.module and
                                                               {a.name for a in node.names} & _PACKAGE_LOADERS)):
                found.append(f"line {node.lineno}: from {'.' * node.level}{node.module or ''} import ...")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in _IO_FUNCTIONS:
                found.append(f"line {node.lineno}: {func.id}()")
            elif isinstance(func, ast.Attribute):
                owner = func.value.attr if isinstance(func.value, ast.Attribute) else getattr(func.value, "id", None)
                if func.attr in _IO_METHODS:
                    found.append(f"line {node.lineno}: .{func.attr}()")
                elif (owner, func.attr) in _CLOCK:
                    found.append(f"line {node.lineno}: {owner}.{func.attr}()")
                elif owner == "json" and func.attr in ("load", "dump"):
                    found.append(f"line {node.lineno}: json.{func.attr}()")
        elif isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
            found.append(f"line {node.lineno}: os.{node.attr}")
    return found


# each scan against sources it must flag, and one it must pass
SCAN_SAMPLES = [
    (private_imports, ["from .stages.places import _weight\n", "from eventwire.services import _refresh\n",
                       "from . import gazetteer\nx = gazetteer._asset('a')\n"],
     "from __future__ import annotations\nimport os\nx = os.__name__\nfrom re import _parser\n"),
    (sql_strings, ['q = "SELECT id FROM events WHERE actor1 LIKE ?"\n', "conn.execute(q)\n", 'q = f"DELETE FROM {table}"\n'],
     '"""Select the events from one country."""\nx = "select a place from the list"\n'),
    (stage_io, ["text = open('x').read()\n", "from pathlib import Path\n", "import os\nos.environ.get('A')\n",
                "import datetime as dt\nx = dt.date.today()\n", "from datetime import datetime\nx = datetime.now()\n",
                "import json\njson.load(fh)\n", "from ..resources import load_pack\n", "x = p.read_text()\n",
                "import logging\n", "from .. import resources\n", "from urllib.request import urlopen\n"],
     "import json\nimport re\nfrom urllib.parse import urlsplit\nfrom ..records import Event\nx = json.loads(s)\n"),
]


@pytest.mark.parametrize("scan, offending, clean", SCAN_SAMPLES, ids=lambda v: getattr(v, "__name__", ""))
def test_scan_flags_offending_source_and_passes_clean_source(scan, offending, clean):
    for source in offending:
        assert scan(source), source
    assert not scan(clean)


KNOWN_STAGE_IO: dict[str, str] = {}  # none left since counts.py takes its packs through resources.load_count_reader


# the stages and the gazetteer they search (its files are read by resources.load_gazetteer)
@pytest.mark.parametrize("path", _marked(_modules(STAGES) + [PACKAGE / "gazetteer.py"], KNOWN_STAGE_IO))
def test_stage_module_performs_no_io(path):
    found = stage_io(path.read_text("utf-8"))
    assert not found, (f"{_rel(path)} does I/O or loads its own resources {found}: load in resources.py and hand the "
                       "result to the stage's function or component (as compile_actor_lexicon(text), "
                       "compile_role_words(pack, kill_forms) do)")


# ------------------------------------------------------------------ (d) month names once

_MONTH_LIST = re.compile(r"\bjan(?:uary)?\b\W{1,12}feb|calendar\.month_(?:name|abbr)", re.I)


def test_month_names_are_written_only_in_the_metadata_pack():
    """The month names live in lang/en/metadata.json 'months' (resources.load_months); a list
    of them in code ("January", "February", ... or jan|feb|...) is a second copy to drift."""
    assert _MONTH_LIST.search('MONTHS = ("January", "February")') and _MONTH_LIST.search(r'r"(?:jan|feb|mar)"')
    offences = [_rel(p) for p in _modules() if _MONTH_LIST.search(p.read_text("utf-8"))]
    assert not offences, f"month names written in code: {offences}; read resources.load_months() instead"
