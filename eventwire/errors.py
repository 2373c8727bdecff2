"""The catalogue of reject codes: why a document was not turned into events.

Every Rejected record carries one of these codes, so scripts can grep and count them and
tests can check that no stage invents an undocumented one.
"""
from __future__ import annotations

REJECT_CODES: dict[str, str] = {
    "not-found": "the input path does not exist",
    "no-access": "the file or directory may not be read (permission denied)",
    "broken-link": "a symbolic link to nothing, or one that loops back on itself",
    "not-a-file": "a named pipe, socket or device, not a regular file",
    "io-error": "the operating system failed to read the file (the message names its reason)",
    "too-large": "the document is larger than a news page can be (20 MiB of file, or [budget] max_text_chars of text)",
    "too-slow": "reading or extracting the document took longer than its time budget ([budget] max_seconds + seconds_per_mib per MiB of text)",
    "empty": "the document holds no text (a warning: the run does not fail)",
    "binary": "the file is binary data (an image, PDF, archive...), not text or HTML",
    "bad-encoding": "the bytes decode in no text encoding (a JSONL line: not UTF-8, or an unpaired surrogate escape)",
    "bad-json": "a JSONL line is not a JSON object (malformed, or nested too deeply to read)",
    "bad-id": "a JSONL document's id is not a usable name (not a string or number, empty, over-long, control characters)",
    "no-id": "a JSONL document has no 'id'",
    "no-text": "a JSONL document has neither 'text' nor 'html'",
    "duplicate-id": "a second document under an id already read in this batch (a warning: the same document again is read once, a different one is kept and its event ids made unique)",
    "unreadable": "the HTML could not be parsed",
    "no-article": "the page was read but carries no article body (a warning: the run does not fail)",
    "worker-died": "the engine's worker process died each time it was given this document (ingest --engine dask)",
    "internal-error": "extraction failed on this document; the message names the exception (a defect to report)",
}


# -- errors the store, the services and the edges raise --------------------------------------
# One hierarchy with stable codes: the CLI maps each class to an exit code in one wrapper
# (cli.run_safely) and the web maps it to an HTTP status in one handler (web/app.py). Any
# other exception is a defect: a 500 with an error id (exit 70 on the CLI), never a 400.


class EventwireError(Exception):
    """A refusal the user can act on; `code` is stable (scripts may match on it)."""

    code = "error"


class BadRequest(EventwireError, ValueError):
    """A parameter is malformed or out of range; the message names the parameter."""

    code = "bad-request"


class NotFound(EventwireError):
    """No such event, document, report, layer or format."""

    code = "not-found"


class WriteDenied(EventwireError):
    """Writing is off (no server token) or the request's token is wrong."""

    code = "write-denied"


class TooLarge(EventwireError):
    """An upload or request over the size limits."""

    code = "too-large"


class BadUpload(EventwireError):
    """An upload that is not a readable article file."""

    code = "bad-upload"


class Conflict(EventwireError):
    """The request contradicts the stored data (e.g. a split that would empty an event)."""

    code = "conflict"


class StoreError(EventwireError, RuntimeError):
    """The store cannot be opened, or a stored invariant would be broken."""

    code = "store-unavailable"


ERROR_CODES: dict[str, str] = {cls.code: (cls.__doc__ or "").strip().splitlines()[0]
                               for cls in (BadRequest, NotFound, WriteDenied, TooLarge,
                                           BadUpload, Conflict, StoreError)}
