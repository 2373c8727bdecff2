"""Turn command-line inputs (files, directories, JSONL batches) into RawDocuments.

This is the only module that reads input files. Bad inputs come out as Rejected records
naming the document, so one broken file or line never stops the rest.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable, Iterator, Union

from .records import RawDocument, Rejected

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # a news page is never this large; a dump file is
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_FALLBACK_ENCODINGS = ("utf-8", "utf-16", "cp1256", "cp1252")

Item = Union[RawDocument, Rejected]


def iter_documents(paths: Iterable[str]) -> Iterator[Item]:
    """Yield one RawDocument (or Rejected) per document found under the given paths."""
    for p in paths:
        path = Path(p)
        if p == "-":
            yield from _iter_jsonl_lines(_stdin_lines(), "<stdin>")
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES:
                    yield from _iter_file(child)
        elif path.is_file():
            yield from _iter_file(path)
        else:
            yield Rejected(path.stem or p, "read", "not-found", f"no such file or directory: {p}")


def _stdin_lines() -> Iterator[str]:
    import sys
    yield from sys.stdin


def _iter_file(path: Path) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        try:
            with open(path, encoding="utf-8", errors="strict", newline="\n") as fh:
                yield from _iter_jsonl_lines(fh, str(path))
        except UnicodeDecodeError as exc:
            yield Rejected(path.stem, "read", "bad-encoding", f"{path}: not UTF-8 JSONL ({exc.reason})")
        return
    doc_id = path.stem
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        yield Rejected(doc_id, "read", "too-large", f"{path}: {size} bytes, limit {MAX_DOCUMENT_BYTES}")
        return
    data = path.read_bytes()
    text_or_reject = decode_bytes(doc_id, data, str(path))
    if isinstance(text_or_reject, Rejected):
        yield text_or_reject
        return
    if suffix in HTML_SUFFIXES:
        yield RawDocument(id=doc_id, html=text_or_reject, origin=str(path))
    else:
        yield RawDocument(id=doc_id, text=text_or_reject, origin=str(path))


def decode_bytes(doc_id: str, data: bytes, origin: str) -> Union[str, Rejected]:
    """Decode a file's bytes, refusing binary data and empty files with a clear reason."""
    if not data.strip():
        return Rejected(doc_id, "read", "empty", f"{origin}: the file is empty", fatal=False)
    if _looks_binary(data):
        return Rejected(doc_id, "read", "binary", f"{origin}: binary data, not a text or HTML page")
    for enc in _FALLBACK_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue  # utf-16 without a BOM "decodes" almost anything into garbage
        return text.lstrip("\ufeff")
    return Rejected(doc_id, "read", "bad-encoding", f"{origin}: cannot decode as UTF-8, UTF-16 or Windows code pages")


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text carries NULs legitimately
    if b"\x00" in head:
        return True
    magic = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"\x7fELF")
    return head.startswith(magic)


def _iter_jsonl_lines(lines: Iterable[str], origin: str) -> Iterator[Item]:
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{origin}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejected(f"{os.path.basename(origin)}:{lineno}", "read", "bad-json", f"{where}: malformed JSON ({exc.msg})")
            continue
        yield _document_from_json(obj, where)


def _document_from_json(obj: object, where: str) -> Item:
    if not isinstance(obj, dict):
        return Rejected(where, "read", "bad-json", f"{where}: a line must be a JSON object")
    doc_id = obj.get("id")
    if doc_id is None:
        return Rejected(where, "read", "no-id", f"{where}: the document has no 'id'")
    doc_id = str(doc_id)
    text, html = obj.get("text"), obj.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        return Rejected(doc_id, "read", "no-text", f"{where}: document {doc_id} has neither 'text' nor 'html'")
    body = text if isinstance(text, str) else html
    if not body.strip():
        return Rejected(doc_id, "read", "empty", f"{where}: document {doc_id} has empty text", fatal=False)
    if len(body.encode("utf-8", "surrogatepass")) > MAX_DOCUMENT_BYTES:
        return Rejected(doc_id, "read", "too-large", f"{where}: document {doc_id} exceeds {MAX_DOCUMENT_BYTES} bytes")
    if "\x00" in body[:8192]:
        return Rejected(doc_id, "read", "binary", f"{where}: document {doc_id} holds binary data")
    return RawDocument(
        id=doc_id, text=text if isinstance(text, str) else None,
        html=html if isinstance(html, str) and not isinstance(text, str) else None,
        title=_opt_str(obj.get("title")), published=_opt_str(obj.get("published")),
        outlet=_opt_str(obj.get("outlet")), url=_opt_str(obj.get("url")), origin=where,
    )


def _opt_str(v: object) -> str | None:
    return None if v is None else str(v)
