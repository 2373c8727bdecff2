"""Turn command-line inputs (files, directories, JSONL batches) into RawDocuments.

This is the only module that reads input files. Bad inputs come out as Rejected records
naming the document (a file, or file:line for a JSONL line), so one broken file, line or
directory never stops the rest: unreadable files, broken links, pipes, binary data, bad
encodings, malformed or too deeply nested JSON each cost only themselves.
"""
from __future__ import annotations

import codecs
import errno
import hashlib
import io
import json
import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Optional, Union

from .charsets import decode_document
from .records import RawDocument, Rejected
from .resources import load_charsets

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # a news page is never this large; a dump file is
MAX_ID_CHARS = 512  # an id is a name, not a document
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_READ_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"BZh",
                 b"\x7fELF", b"\xfd7zXZ", b"7z\xbc\xaf")
_FILE_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))

# Byte-order marks of the wide encodings a JSONL batch may come in (UTF-32 before UTF-16,
# whose little-endian mark begins UTF-32's); JSON without a mark is UTF-8.
_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
              (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))

Item = Union[RawDocument, Rejected]


def iter_documents(paths: Iterable[str]) -> Iterator[Item]:
    """Yield one RawDocument (or Rejected) per document found under the given paths."""
    return _one_line_per_repeated_id(_iter_paths(paths))


def _one_line_per_repeated_id(items: Iterable[Item]) -> Iterator[Item]:
    """An id names one document of a batch; a second document under an id already seen gets
    one warning line naming both sources.

    The very same document again (a file given twice, a repeated JSONL line) is read once: it
    is the same input, so it has the same events under the same ids. A different document
    under a taken id (a story re-issued with a correction, two files a.txt and a.html) is kept,
    since rejecting it would lose a report: the store keeps documents by their text's hash,
    and `extract` gives a repeated event id the suffix the store gives it (pipeline.extract).
    """
    seen: dict[str, dict[bytes, str]] = {}  # id -> the origin of each distinct document under it
    for item in items:
        if isinstance(item, Rejected):
            yield item
            continue
        content = (item.text, item.html, item.title, item.published, item.outlet, item.url)
        digest = hashlib.sha256(repr(content).encode("utf-8", "surrogatepass")).digest()
        origins = seen.setdefault(item.id, {})
        if digest in origins:
            yield Rejected(item.id, "read", "duplicate-id",
                           f"{item.origin}: the same document as {origins[digest]}; read once", fatal=False)
            continue
        if origins:
            yield Rejected(item.id, "read", "duplicate-id", f"{item.origin}: another document under the "
                           f"id of {next(iter(origins.values()))}; both kept", fatal=False)
        origins[digest] = item.origin or item.id
        yield item


def _iter_paths(paths: Iterable[str]) -> Iterator[Item]:
    for p in paths:
        if p == "-":
            yield from _iter_jsonl(sys.stdin.buffer, "<stdin>")
        elif os.path.isdir(p):
            yield from _iter_directory(Path(p), set())
        else:
            yield from _iter_file(Path(p))


def _iter_directory(root: Path, seen: set[tuple[int, int]]) -> Iterator[Item]:
    """Every readable file under root, in name order; an unreadable subdirectory is one
    error line, and a directory reached twice through links is read once."""
    try:
        st = os.stat(root)
        if (st.st_dev, st.st_ino) in seen:
            return
        seen.add((st.st_dev, st.st_ino))
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        yield Rejected(str(root), "read", _os_code(exc), f"{root}: cannot list the directory ({_reason(exc)})")
        return
    for entry in entries:
        path = Path(entry.path)
        if _is_dir(entry):
            yield from _iter_directory(path, seen)
        elif path.suffix.lower() in _READ_SUFFIXES:
            yield from _iter_file(path)


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False  # a link loop or a vanished entry: _iter_file reports it if it is ours


def _iter_file(path: Path) -> Iterator[Item]:
    doc_id = path.stem or str(path)
    problem = _not_readable(path)
    if problem:
        yield Rejected(doc_id, "read", *problem)
        return
    try:
        with open(path, "rb") as fh:
            if path.suffix.lower() in JSONL_SUFFIXES:
                yield from _iter_jsonl(fh, str(path))
                return
            data = fh.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        yield Rejected(doc_id, "read", _os_code(exc), f"{path}: cannot read the file ({_reason(exc)})")
        return
    if len(data) > MAX_DOCUMENT_BYTES:
        yield Rejected(doc_id, "read", "too-large", f"{path}: over {MAX_DOCUMENT_BYTES} bytes, the limit for one document")
        return
    markup = path.suffix.lower() in HTML_SUFFIXES
    decoded = decode_bytes(doc_id, data, str(path), markup)
    if isinstance(decoded, Rejected):
        yield decoded
    elif markup:
        yield RawDocument(id=doc_id, html=decoded[0], origin=str(path), encoding=decoded[1])
    else:
        yield RawDocument(id=doc_id, text=decoded[0], origin=str(path), encoding=decoded[1])


def _not_readable(path: Path) -> Optional[tuple[str, str]]:
    """(code, detail) when the path is no regular file we may read, else None."""
    try:
        st = os.stat(path)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError) and os.path.islink(path):
            return "broken-link", f"{path}: a symbolic link to {os.readlink(path)}, which does not exist"
        if exc.errno == errno.ELOOP:
            return "broken-link", f"{path}: a symbolic link that loops back on itself"
        if isinstance(exc, FileNotFoundError):
            return "not-found", f"no such file or directory: {path}"
        return _os_code(exc), f"{path}: cannot open ({_reason(exc)})"
    for is_kind, kind in _FILE_KINDS:
        if is_kind(st.st_mode):
            return "not-a-file", f"{path}: {kind}, not a regular file (pipe a JSONL batch to '-' instead)"
    return None


def _os_code(exc: OSError) -> str:
    return "no-access" if isinstance(exc, PermissionError) else "io-error"


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def decode_bytes(doc_id: str, data: bytes, origin: str, markup: bool = False) -> Union[tuple[str, str], Rejected]:
    """(text, encoding) of a file's bytes, or Rejected for binary data and empty files."""
    if not data.strip():
        return Rejected(doc_id, "read", "empty", f"{origin}: the file is empty", fatal=False)
    if _looks_binary(data):
        return Rejected(doc_id, "read", "binary", f"{origin}: binary data, not a text or HTML page")
    decoded = decode_document(data, load_charsets(), markup)
    if decoded is None:
        return Rejected(doc_id, "read", "bad-encoding", f"{origin}: the bytes decode in no known text encoding")
    return decoded.text, decoded.encoding


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text carries NULs legitimately
    return b"\x00" in head or head.startswith(_BINARY_MAGIC)


def _iter_jsonl(fh: BinaryIO, origin: str) -> Iterator[Item]:
    """One document per line; each line is decoded (UTF-8, as JSON must be, or UTF-16/32 when
    the batch starts with its byte-order mark, as Windows tools write it) and parsed on its
    own, so a bad line costs that line only. Lines longer than a document may be are skipped
    without being held in memory."""
    name = os.path.basename(origin)
    found = False
    codec = _wide_codec(fh)
    for lineno, line, complete in (_lines(fh) if codec is None else _wide_lines(fh, codec)):
        where = f"{origin}:{lineno}"
        if line is None:
            yield Rejected(f"{name}:{lineno}", "read", "bad-encoding",
                           f"{where}: not {codec.upper()} text from here on (the batch ends mid-character)")
            return
        if lineno == 1 and _looks_binary(line):
            yield Rejected(name, "read", "binary", f"{origin}: binary data, not a JSONL batch")
            return
        if not complete:
            yield Rejected(f"{name}:{lineno}", "read", "too-large", f"{where}: the line exceeds {MAX_DOCUMENT_BYTES} bytes")
            continue
        if not line.strip():
            continue
        found = True
        yield _document_from_line(line[3:] if lineno == 1 and line.startswith(b"\xef\xbb\xbf") else line,
                                  f"{name}:{lineno}", where, codec)
    if not found:
        yield Rejected(name, "read", "empty", f"{origin}: the batch holds no documents", fatal=False)


def _wide_codec(fh: BinaryIO) -> Optional[str]:
    """"utf-16" or "utf-32" when the stream starts with that byte-order mark, else None."""
    head = fh.peek(4)[:4] if hasattr(fh, "peek") else b""
    return next((codec for bom, codec in _WIDE_BOMS if head.startswith(bom)), None)


def _wide_lines(fh: BinaryIO, codec: str) -> Iterator[tuple[int, Optional[bytes], bool]]:
    """`_lines` of a UTF-16/32 stream, each line re-encoded as UTF-8 (an unpaired surrogate
    stays an invalid byte, so the line is refused as `_document_from_line` refuses bad UTF-8);
    a line of None: the stream ends inside a character."""
    reader = io.TextIOWrapper(fh, encoding=codec, errors="surrogatepass", newline="\n")
    lineno = 0
    try:
        while True:
            try:
                line = reader.readline(MAX_DOCUMENT_BYTES + 1)
            except UnicodeDecodeError:
                yield lineno + 1, None, False
                return
            if not line:
                return
            lineno += 1
            data = line.encode("utf-8", "surrogatepass")
            if len(line) > MAX_DOCUMENT_BYTES and not line.endswith("\n"):
                while (rest := reader.readline(1 << 20)) and not rest.endswith("\n"):
                    pass  # skip the remainder of the over-long line
                yield lineno, data[:200], False
            else:
                yield lineno, data, True
    finally:
        reader.detach()  # the caller owns the file


def _lines(fh: BinaryIO) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, bytes, complete?) per line; an over-long line comes back as its head."""
    lineno = 0
    while True:
        line = fh.readline(MAX_DOCUMENT_BYTES + 1)
        if not line:
            return
        lineno += 1
        if len(line) > MAX_DOCUMENT_BYTES and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass  # skip the remainder of the over-long line
            yield lineno, line[:200], False
        else:
            yield lineno, line, True


def _document_from_line(line: bytes, line_id: str, where: str, wide: Optional[str] = None) -> Item:
    """One line's document; `wide`: the UTF-16/32 codec the line was re-encoded from."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        doc = _id_of(line.decode("utf-8", "replace"))
        who = f"document {doc}: " if doc else ""
        problem = (f"not {wide.upper()} (an unpaired surrogate)" if wide else
                   f"not UTF-8 (byte 0x{line[exc.start]:02x} at column {exc.start + 1}); JSONL must be UTF-8")
        return Rejected(doc or line_id, "read", "bad-encoding", f"{where}: {who}{problem}")
    try:
        obj = json.loads(text)
    except RecursionError:
        return Rejected(_id_of(text) or line_id, "read", "bad-json", f"{where}: JSON nested too deeply to read")
    except ValueError as exc:  # JSONDecodeError, or an integer too long to convert
        return Rejected(line_id, "read", "bad-json", f"{where}: malformed JSON ({getattr(exc, 'msg', exc)})")
    return _document_from_json(obj, where)


def _id_of(text: str) -> Optional[str]:
    """The id of a line we cannot fully read, when its first key is a plain "id" (for the message)."""
    head = text.lstrip()[:MAX_ID_CHARS + 20]
    if not head.startswith('{"id"'):
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(head.split(":", 1)[1].lstrip())
    except (ValueError, IndexError):
        return None
    return value if isinstance(value, str) and _bad_id(value) is None else None


def _bad_id(doc_id: object) -> Optional[str]:
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)):
        return f"'id' must be a string or a number, not {type(doc_id).__name__}"
    # an empty id is still an id (EVENTS.md asks only that it be present): real exports carry
    # rows without one, and rejecting them would fail the whole run
    text = str(doc_id)
    if len(text) > MAX_ID_CHARS:
        return f"'id' is {len(text)} characters long, over {MAX_ID_CHARS}"
    if any(ch < " " or "\x7f" <= ch < "\xa0" for ch in text):
        return "'id' holds control characters"
    return None


def _document_from_json(obj: object, where: str) -> Item:
    if not isinstance(obj, dict):
        return Rejected(where, "read", "bad-json", f"{where}: a line must be a JSON object")
    if obj.get("id") is None:
        return Rejected(where, "read", "no-id", f"{where}: the document has no 'id'")
    problem = _bad_id(obj["id"])
    if problem:
        return Rejected(where, "read", "bad-id", f"{where}: {problem}")
    doc_id = str(obj["id"])
    text, html = obj.get("text"), obj.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        return Rejected(doc_id, "read", "no-text", f"{where}: document {doc_id} has neither 'text' nor 'html'")
    body = text if isinstance(text, str) else html
    if not body.strip():
        return Rejected(doc_id, "read", "empty", f"{where}: document {doc_id} has empty text", fatal=False)
    if "\x00" in body:
        return Rejected(doc_id, "read", "binary", f"{where}: document {doc_id} holds binary data (NUL characters)")
    fields = {k: _opt_str(obj.get(k)) for k in ("title", "published", "outlet", "url")}
    if any(not _encodable(v) for v in (body, *fields.values()) if v):
        return Rejected(doc_id, "read", "bad-encoding",
                        f"{where}: document {doc_id} holds an unpaired UTF-16 surrogate escape (\\udXXX)")
    return RawDocument(
        id=doc_id, text=text if isinstance(text, str) else None,
        html=html if isinstance(html, str) and not isinstance(text, str) else None,
        origin=where, encoding="utf-8", **fields)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _opt_str(v: object) -> str | None:
    return None if v is None else str(v)
