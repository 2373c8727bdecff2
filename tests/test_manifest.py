"""Every packaged data file is declared in MANIFEST.json with its current hash."""
import hashlib
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "eventwire" / "data"


def test_manifest_lists_every_data_file_with_its_hash():
    manifest = json.loads((DATA / "MANIFEST.json").read_text("utf-8"))
    files = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*")
             if p.is_file() and p.name not in ("MANIFEST.json", "__init__.py") and p.suffix != ".md"}
    assert files == set(manifest), "run tools/build_manifest.py"
    for rel, entry in manifest.items():
        digest = hashlib.sha256((DATA / rel).read_bytes()).hexdigest()
        assert digest == entry["sha256"], f"{rel} changed: run tools/build_manifest.py"
        assert entry["source"] and entry["licence"]
