"""Every reject code a stage can emit is documented in errors.REJECT_CODES."""
import re
from pathlib import Path

from eventwire.errors import REJECT_CODES

PACKAGE = Path(__file__).resolve().parent.parent / "eventwire"


def test_errors_every_emitted_code_is_catalogued():
    emitted = set()
    for path in PACKAGE.rglob("*.py"):
        emitted |= set(re.findall(r'Rejected\([^)]*?"(?:read|extract)",\s*"([a-z-]+)"', path.read_text("utf-8")))
    assert emitted, "the pattern must still find the codes"
    assert emitted <= set(REJECT_CODES), emitted - set(REJECT_CODES)
