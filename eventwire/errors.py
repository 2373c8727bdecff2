"""The catalogue of reject codes: why a document was not turned into events.

Every Rejected record carries one of these codes, so scripts can grep and count them and
tests can check that no stage invents an undocumented one.
"""
from __future__ import annotations

REJECT_CODES: dict[str, str] = {
    "not-found": "the input path does not exist",
    "too-large": "the document is larger than the 20 MiB a news page can be",
    "empty": "the document holds no text (a warning: the run does not fail)",
    "binary": "the file is binary data (an image, PDF, archive...), not text or HTML",
    "bad-encoding": "the bytes decode as neither UTF-8, UTF-16 nor the Windows code pages",
    "bad-json": "a JSONL line is not a JSON object",
    "no-id": "a JSONL document has no 'id'",
    "no-text": "a JSONL document has neither 'text' nor 'html'",
    "unreadable": "the HTML could not be parsed",
    "no-article": "the page was read but carries no article body (a warning: the run does not fail)",
    "internal-error": "extraction failed on this document; the message names the exception (a defect to report)",
}
