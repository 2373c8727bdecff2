"""Why each sentence of a document did or did not become an event (`eventwire explain`, the
API's /documents/{id}/explain and the dashboard's document page).

Both run the document through the same components as `extract` and read the decisions off
the Doc (see `eventwire.explain`): the command explains input files; the API and the page
explain a stored document's cleaned text, with this build's components and resources. An
analyst's corrections are not part of the explanation (they lie over the store's events, not
over extraction).
"""
from __future__ import annotations

import datetime as dt
from typing import Iterator, Optional, Sequence, Union

from ..errors import NotFound
from ..records import Article, Rejected
from .reads import Source, document, document_reports

__all__ = ["explain_document", "explain_inputs"]


def explain_inputs(paths: Sequence[str], doc_id: Optional[str] = None
                   ) -> Iterator[Union[dict, Rejected]]:
    """The explanation of every document under `paths` (or only the one with `doc_id`); a
    document that cannot be read comes as its Rejected."""
    from ..explain import explain  # the pipeline loads only when something is explained
    from ..resources import load_resources
    return explain(paths, load_resources(), doc_id)


def explain_document(source: Source, doc_id: str) -> dict:
    """The explanation of a stored document (by id or content hash), each incident sentence
    also naming the stored events its events ended in (`stored_events`); NotFound when
    there is no such document or the store kept no text for it."""
    from ..explain import explain_doc
    from ..pipeline import components, run
    from ..resources import load_resources
    view = document(source, doc_id)
    if not view.text:
        raise NotFound(f"the store keeps no text for document {doc_id!r}: explain its input"
                       " file with `eventwire explain`")
    article = Article(view.doc_id, view.text, view.title, _day(view.published), view.outlet,
                      view.url)
    explanation = explain_doc(run(article, components(load_resources())))
    # The linked event each extracted event ended in (its own, one it joined, or its
    # renamed id when the extractor's was taken).
    stored = {r.event.event_id: r.event_id for r in document_reports(source, view.doc_id)}
    for sentence in explanation["sentences"]:
        if "events" in sentence:
            sentence["stored_events"] = list(dict.fromkeys(
                stored[e] for e in sentence["events"] if e in stored))
    return explanation


def _day(published: Optional[str]) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None
