"""What the web server alone does: its settings, the write token, adding news by upload (the
same `ingest` as the command) and the boundary layers it serves. Knows nothing of HTTP.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterator, Optional, Sequence

from ..errors import BadUpload, NotFound, TooLarge, WriteDenied
from ..inputs import HTML_SUFFIXES, JSONL_SUFFIXES, TEXT_SUFFIXES
from ..store.db import StoredEvent
from .writes import ingest
from .reads import StorePool

__all__ = ["AddNewsResult", "Upload", "WebSettings", "add_news", "boundary_layer",
           "boundary_names", "check_token", "pasted_upload"]

# What `ingest` reads from a folder, the command's reader deciding each file's kind.
UPLOAD_SUFFIXES = tuple(sorted(TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES))
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_LAYER_NAME = re.compile(r"^[a-z0-9_-]{1,40}$")


@dataclass(frozen=True)
class WebSettings:
    """How the server was started."""

    db_url: Optional[str] = None
    token: Optional[str] = None  # writing is enabled only when set
    tile_url: Optional[str] = None  # e.g. http://localhost:8080/{z}/{x}/{y}.png
    max_file_bytes: int = 2_000_000
    max_request_bytes: int = 10_000_000
    max_files: int = 20
    boundaries_dir: Optional[str] = None  # None: the packaged eventwire/data/boundaries
    # Host names a request may address (DNS rebinding defence); None: any. `serve` sets the
    # name it is bound to plus localhost; --allow-host adds more (a proxy's public name).
    allowed_hosts: Optional[tuple[str, ...]] = None


@dataclass(frozen=True)
class Upload:
    """One piece of news to ingest: a file's name and bytes (pasted text gets a name too)."""

    name: str
    data: bytes


@dataclass
class AddNewsResult:
    """What adding news did: ingest counts, per-document problems, the events touched."""

    documents_new: int
    documents_skipped: int
    events_created: int
    reports_merged: int
    problems: list[str] = field(default_factory=list)
    events: list[StoredEvent] = field(default_factory=list)


def check_token(settings: WebSettings, given: Optional[str]) -> None:
    """Refuse unless the server has a token and the request carries the same one."""
    if not settings.token:
        raise WriteDenied("adding news is disabled: start the server with --token")
    if not given or not hmac.compare_digest(given.encode(), settings.token.encode()):
        raise WriteDenied("a valid token is needed to add news")


def add_news(settings: WebSettings, pool: StorePool, uploads: Sequence[Upload],
             token: Optional[str]) -> AddNewsResult:
    """Ingest pasted text and uploaded files through the `ingest` pipeline: the files are
    read by the command's own reader (eventwire.inputs), so an upload is decoded as the
    same file given to `eventwire ingest` would be (UTF-8, UTF-16/32 with a byte-order
    mark, a page's declared or detected charset), and a bad document (a broken JSONL line,
    binary data, an undecodable file) is one line in `problems` naming it while the good
    ones are stored.

    Raises:
        WriteDenied: no or wrong token. TooLarge / BadUpload: the files are refused whole.
    """
    check_token(settings, token)
    _check_uploads(settings, uploads)
    before = pool.analytics().version()
    with tempfile.TemporaryDirectory(prefix="eventwire-upload-") as tmp:
        paths = [_write_upload(Path(tmp), n, u) for n, u in enumerate(uploads)]
        report = ingest([str(p) for p in paths], settings.db_url)
    # A problem names the file as the user sent it, never the server's temporary folder.
    folder = re.compile(re.escape(tmp) + r"[/\\]\d{3}[/\\]")
    return AddNewsResult(report.documents_new, report.documents_skipped, report.events_created,
                         report.reports_merged,
                         [folder.sub("", r.message()) for r in report.rejected],
                         pool.analytics().events_since(before))


def pasted_upload(text: str, title: Optional[str], outlet: Optional[str],
                  published: Optional[str], url: Optional[str]) -> Upload:
    """Pasted article text as a one-line JSONL document (so its metadata travels along)."""
    if not text.strip():
        raise BadUpload("the pasted text is empty")
    doc = {"id": "pasted-" + _digest(text), "text": text, "title": title or None,
           "outlet": outlet or None, "published": published or None, "url": url or None}
    return Upload("pasted.jsonl", json.dumps(doc, ensure_ascii=False).encode("utf-8"))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _check_uploads(settings: WebSettings, uploads: Sequence[Upload]) -> None:
    if not uploads:
        raise BadUpload("nothing to add: paste an article or choose files")
    if len(uploads) > settings.max_files:
        raise TooLarge(f"at most {settings.max_files} files at once")
    for u in uploads:
        if not u.name.lower().endswith(UPLOAD_SUFFIXES):
            raise BadUpload(f"{_display(u.name)}: only {', '.join(UPLOAD_SUFFIXES)} files"
                            " can be added")
        if len(u.data) > settings.max_file_bytes:
            raise TooLarge(f"{_display(u.name)}: larger than"
                           f" {settings.max_file_bytes // 1000} kB")
        if not u.data.strip():
            raise BadUpload(f"{_display(u.name)}: the file is empty")


def _display(name: str) -> str:
    return _SAFE_NAME.sub("_", os.path.basename(name))[:80] or "file"


def _write_upload(folder: Path, n: int, u: Upload) -> Path:
    # The document id of a file is its name: keep it, made safe and unique in the folder.
    sub = folder / f"{n:03d}"
    sub.mkdir()
    path = sub / _display(u.name)
    path.write_bytes(u.data)
    return path


def boundary_names(settings: WebSettings) -> list[str]:
    """The boundary layers shipped with the package (countries, admin1, ...)."""
    return sorted(p.name[:-len(".geojson")] for p in _boundary_files(settings)
                  if p.name.endswith(".geojson"))


def boundary_layer(settings: WebSettings, name: str) -> bytes:
    """One boundary layer's GeoJSON bytes."""
    if not _LAYER_NAME.match(name):
        raise NotFound(f"no boundary layer {name!r}")
    for p in _boundary_files(settings):
        if p.name == name + ".geojson":
            return p.read_bytes()
    raise NotFound(f"no boundary layer {name!r}")


def _boundary_files(settings: WebSettings) -> Iterator:
    if settings.boundaries_dir:
        folder = Path(settings.boundaries_dir)
        return iter(folder.iterdir()) if folder.is_dir() else iter(())
    data = resources.files("eventwire.data")
    folder = data.joinpath("boundaries")
    return iter(folder.iterdir()) if folder.is_dir() else iter(())
