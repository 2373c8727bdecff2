import json

from eventwire.inputs import iter_documents
from eventwire.records import RawDocument, Rejected


def test_inputs_jsonl_bad_lines_rejected_good_kept(tmp_path):
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "a", "text": "Gunmen killed two men in Idlib."}),
        "{not json",
        json.dumps({"id": "b", "text": ""}),
        json.dumps({"text": "no id"}),
        json.dumps({"id": "c", "html": "<html><body><p>Shelling hit Douma.</p></body></html>"}),
    ]), encoding="utf-8")
    items = list(iter_documents([str(batch)]))
    good = [i for i in items if isinstance(i, RawDocument)]
    bad = [i for i in items if isinstance(i, Rejected)]
    assert [d.id for d in good] == ["a", "c"]
    assert good[1].html and good[1].text is None
    assert [r.code for r in bad] == ["bad-json", "empty", "no-id"]
    assert "batch.jsonl:2" in bad[0].message()


def test_inputs_binary_empty_and_encodings(tmp_path):
    (tmp_path / "img.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    (tmp_path / "empty.txt").write_bytes(b"   \n")
    (tmp_path / "arabic.txt").write_bytes("قصف على دير الزور".encode("cp1256"))
    (tmp_path / "ok.txt").write_text("Clashes broke out in Deir ez-Zor.", encoding="utf-8")
    items = {i.id if isinstance(i, RawDocument) else i.item_id: i for i in iter_documents([str(tmp_path)])}
    assert isinstance(items["img"], Rejected) and items["img"].code == "binary"
    assert isinstance(items["empty"], Rejected) and items["empty"].code == "empty"
    assert items["arabic"].text == "قصف على دير الزور"
    assert items["ok"].text.startswith("Clashes")


def test_inputs_missing_path_is_rejected_not_raised(tmp_path):
    (item,) = list(iter_documents([str(tmp_path / "nope.txt")]))
    assert isinstance(item, Rejected) and item.code == "not-found"


def test_inputs_file_id_is_stem(tmp_path):
    (tmp_path / "000_abc.txt").write_text("text", encoding="utf-8")
    (item,) = list(iter_documents([str(tmp_path / "000_abc.txt")]))
    assert item.id == "000_abc"
