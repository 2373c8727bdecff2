"""The services layer: every use case the CLI, the API routes and the briefs share.

The edges only parse their input and format the answer; the store package alone runs SQL.

- `writes`: write use cases (ingest documents or events extracted elsewhere, split an event);
- `reads`: read use cases over a read-only `StorePool` or a store URL (event pages, one
  event, a document, aggregates, facets, exports, briefs);
- `explaining`: why each sentence of a document did or did not become an event;
- `server`: what only the web server does (its settings, the write token, uploads,
  boundary layers).
"""
from ..errors import BadRequest, Conflict, NotFound, StoreError  # what the use cases raise
from ..store.db import resolve_url
from ..store.query import EventQuery
from .writes import (IngestReport, document_hash, ingest, ingest_extracted, refresh_event, split,
                     split_in)
from .explaining import explain_document, explain_inputs
from .reads import (BRIEF_IGNORES, BriefFile, BriefView, EventDetail, EventPage, Source, StorePool,
                    aggregates, brief, brief_file, brief_request, count_events, document,
                    document_reports, draft_brief, export, export_events, facets,
                    find_events, get_event, list_events, points, reading, store_counts, write_brief)
from .server import (AddNewsResult, Upload, WebSettings, add_news, boundary_layer, boundary_names,
                     check_token, pasted_upload)

__all__ = ["AddNewsResult", "BRIEF_IGNORES", "BadRequest", "Conflict", "NotFound", "StoreError", "BriefFile", "BriefView", "EventDetail", "EventPage",
           "EventQuery", "IngestReport", "Source", "StorePool", "Upload", "WebSettings",
           "add_news", "aggregates", "boundary_layer", "boundary_names", "brief", "brief_file",
           "brief_request", "check_token", "count_events", "document", "document_hash",
           "document_reports", "draft_brief", "explain_document", "explain_inputs", "export", "export_events", "facets",
           "find_events", "get_event", "ingest", "ingest_extracted", "list_events", "pasted_upload", "points",
           "reading", "refresh_event", "resolve_url", "split", "split_in", "store_counts",
           "write_brief"]
