"""eventwire: raw conflict news in, structured geocoded events out."""
import logging

from .records import Article, Event, Place, RawDocument, Rejected, Source

__all__ = ["Article", "Event", "Place", "RawDocument", "Rejected", "Source"]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
