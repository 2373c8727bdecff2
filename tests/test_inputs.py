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


# --- issue 16: unreadable files, deep JSON, per-line decoding, encodings -------------------

import os
import pickle
import sys

import pytest

from eventwire.charsets import decode_document
from eventwire.resources import load_charsets

GOOD = "Gunmen killed two men near the market in Idlib on Monday, a local monitor said."


def _ids(items):
    return {i.id if isinstance(i, RawDocument) else i.item_id: i for i in items}


def _as_unprivileged(fn):
    """Run fn() in a child process that has given up root (root reads any file, so a
    permission test must drop it); return what fn returned."""
    if os.geteuid() != 0:
        return fn()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: become 'nobody', run, send the result back
        try:
            os.close(read_end)
            os.setgid(65534)
            os.setuid(65534)
            data = pickle.dumps(fn())
        except BaseException as exc:  # noqa: BLE001 - reported to the parent as the result
            data = pickle.dumps(exc)
        with os.fdopen(write_end, "wb") as out:
            out.write(data)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as inp:
        result = pickle.loads(inp.read())
    os.waitpid(pid, 0)
    if isinstance(result, BaseException):
        raise result
    return result


@pytest.fixture
def open_dir(tmp_path_factory):
    """A directory any user may enter (pytest's own temp root is private to its owner)."""
    import tempfile
    path = tempfile.mkdtemp(prefix="eventwire-inputs-")
    os.chmod(path, 0o755)
    yield __import__("pathlib").Path(path)
    import shutil
    for root, dirs, _ in os.walk(path):
        for d in dirs:
            os.chmod(os.path.join(root, d), 0o755)
    shutil.rmtree(path)


def test_inputs_unreadable_file_and_directory_cost_only_themselves(open_dir):
    (open_dir / "a.txt").write_text(GOOD, encoding="utf-8")
    (open_dir / "secret.txt").write_text(GOOD, encoding="utf-8")
    (open_dir / "z.txt").write_text(GOOD, encoding="utf-8")
    locked = open_dir / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(GOOD, encoding="utf-8")
    os.chmod(open_dir / "a.txt", 0o644)
    os.chmod(open_dir / "z.txt", 0o644)
    os.chmod(open_dir / "secret.txt", 0o000)
    os.chmod(locked, 0o000)
    items = _ids(_as_unprivileged(lambda: list(iter_documents([str(open_dir)]))))
    assert isinstance(items["a"], RawDocument) and isinstance(items["z"], RawDocument)
    assert items["secret"].code == "no-access" and "secret.txt" in items["secret"].message()
    assert items[str(locked)].code == "no-access" and "cannot list the directory" in items[str(locked)].detail


def test_inputs_pipes_and_broken_links_are_named_for_what_they_are(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path)  # a directory loop is walked once
    items = list(iter_documents([str(tmp_path)]))
    by_id = _ids(items)
    assert [i.id for i in items if isinstance(i, RawDocument)] == ["good"]
    assert by_id["pipe"].code == "not-a-file" and "named pipe" in by_id["pipe"].detail
    assert by_id["dangling"].code == "broken-link" and "gone.txt" in by_id["dangling"].detail
    assert by_id["loop"].code == "broken-link" and "loops" in by_id["loop"].detail


def test_inputs_deeply_nested_jsonl_line_keeps_its_neighbours(tmp_path):
    deep = '{"id": "deep", "text": "x", "n": ' + "[" * 100_000 + "]" * 100_000 + "}"
    batch = tmp_path / "b.jsonl"
    batch.write_text("\n".join([json.dumps({"id": "a", "text": GOOD}), deep,
                                json.dumps({"id": "c", "text": GOOD})]), encoding="utf-8")
    items = list(iter_documents([str(batch)]))
    assert [i.id for i in items if isinstance(i, RawDocument)] == ["a", "c"]
    (bad,) = [i for i in items if isinstance(i, Rejected)]
    assert bad.code == "bad-json" and bad.item_id == "deep" and "b.jsonl:2" in bad.detail


def test_inputs_one_non_utf8_line_costs_only_that_line(tmp_path):
    batch = tmp_path / "b.jsonl"
    batch.write_bytes(json.dumps({"id": "a", "text": GOOD}).encode() + b"\n"
                      + '{"id": "lat", "text": "Polícia de São Paulo"}'.encode("latin-1") + b"\n"
                      + json.dumps({"id": "c", "text": GOOD}).encode() + b"\n")
    items = list(iter_documents([str(batch)]))
    assert [i.id for i in items if isinstance(i, RawDocument)] == ["a", "c"]
    (bad,) = [i for i in items if isinstance(i, Rejected)]
    assert bad.code == "bad-encoding" and bad.item_id == "lat"
    assert "b.jsonl:2" in bad.detail and "column" in bad.detail


def test_inputs_latin1_text_is_not_read_as_arabic(tmp_path):
    (tmp_path / "sp.txt").write_bytes("A polícia de São Paulo informou que dois homens morreram.".encode("latin-1"))
    (doc,) = list(iter_documents([str(tmp_path / "sp.txt")]))
    assert doc.text == "A polícia de São Paulo informou que dois homens morreram."
    assert doc.encoding == "cp1252"  # browsers read ISO-8859-1 as its superset windows-1252


def test_inputs_page_declared_charset_is_used(tmp_path):
    page = '<html><head><meta charset="windows-1251"></head><body><p>Власти сообщили о взрыве.</p></body></html>'
    (tmp_path / "ru.html").write_bytes(page.encode("cp1251"))
    (doc,) = list(iter_documents([str(tmp_path / "ru.html")]))
    assert "Власти сообщили" in doc.html and doc.encoding == "cp1251"


@pytest.mark.parametrize("entry", json.loads(
    (__import__("pathlib").Path(__file__).resolve().parent.parent / "eventwire/data/charsets.json")
    .read_text("utf-8"))["charsets"], ids=lambda e: e["codec"])
def test_charsets_every_example_decodes_back_to_itself(entry):
    decoded = decode_document(entry["example"].encode(entry["codec"]), load_charsets())
    assert decoded is not None and decoded.text == entry["example"]


def test_inputs_an_empty_id_is_read_not_rejected(tmp_path):
    batch = tmp_path / "b.jsonl"
    batch.write_text(json.dumps({"id": "", "text": GOOD}) + "\n" + json.dumps({"id": "ok", "text": GOOD}) + "\n",
                     encoding="utf-8")
    items = list(iter_documents([str(batch)]))
    assert [i.id for i in items if isinstance(i, RawDocument)] == ["", "ok"]


@pytest.mark.parametrize("line, code", [
    ('{"id": ["x"], "text": "t"}', "bad-id"),
    ('{"id": "a\\nb", "text": "t"}', "bad-id"),
    ('{"id": true, "text": "t"}', "bad-id"),
    ('{"id": "s", "text": "broken \\ud800 escape"}', "bad-encoding"),
    ('{"id": "n", "text": "a NUL \\u0000 inside"}', "binary"),
    ('{"id": "big", "text": "t", "n": ' + "9" * 5000 + "}", "bad-json"),
    ('[1, 2]', "bad-json"),
])
def test_inputs_hostile_jsonl_lines_are_one_rejection_each(tmp_path, line, code):
    batch = tmp_path / "b.jsonl"
    batch.write_text(line + "\n" + json.dumps({"id": "ok", "text": GOOD}) + "\n", encoding="utf-8")
    items = list(iter_documents([str(batch)]))
    assert [i.id for i in items if isinstance(i, RawDocument)] == ["ok"]
    (bad,) = [i for i in items if isinstance(i, Rejected)]
    assert bad.code == code and "\n" not in bad.message()


def test_inputs_binary_jsonl_and_overlong_line(tmp_path):
    (tmp_path / "zip.jsonl").write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4)
    (tmp_path / "long.jsonl").write_bytes(b'{"id": "huge", "text": "' + b"a" * (21 * 1024 * 1024) + b'"}\n'
                                          + json.dumps({"id": "after", "text": GOOD}).encode() + b"\n")
    items = list(iter_documents([str(tmp_path)]))
    assert [i.id for i in items if isinstance(i, RawDocument)] == ["after"]
    assert [(i.item_id, i.code) for i in items if isinstance(i, Rejected)] == [("long.jsonl:1", "too-large"), ("zip.jsonl", "binary")]


def test_inputs_rejection_message_is_one_line_whatever_the_name(tmp_path):
    (tmp_path / "two\nlines.txt").write_bytes(b"")
    (item,) = list(iter_documents([str(tmp_path)]))
    assert item.code == "empty" and "\n" not in item.message() and "two\\nlines" in item.message()


# --- issue 16 item 10: one id, two documents ------------------------------------------------

from click.testing import CliRunner

from eventwire.cli import main

KILLING = "On Monday, gunmen killed two shepherds near Palmyra in Homs province, a monitoring group said."


def _duplicate_batch(tmp_path):
    """Line 3 repeats line 1 exactly; line 4 is a different document (a corrected re-issue)
    under the same id, whose event sits at the same offset, so its event id would collide."""
    rows = [{"id": "a", "text": KILLING}, {"id": "b", "text": GOOD}, {"id": "a", "text": KILLING},
            {"id": "a", "text": KILLING + " The attackers fled into the desert."}]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return batch


def _warnings(stderr):
    return [line for line in stderr.splitlines() if "duplicate-id" in line]


def test_inputs_a_repeated_id_is_one_line_naming_both_sources(tmp_path):
    (tmp_path / "a.txt").write_text(KILLING, encoding="utf-8")
    (tmp_path / "a.html").write_text(f"<html><body><p>{GOOD}</p></body></html>", encoding="utf-8")
    items = list(iter_documents([str(tmp_path), str(tmp_path / "a.txt")]))
    docs = [i for i in items if isinstance(i, RawDocument)]
    notes = [i.message() for i in items if isinstance(i, Rejected)]
    assert [d.origin for d in docs] == [str(tmp_path / "a.html"), str(tmp_path / "a.txt")]
    assert notes == [f"eventwire: warning: a: read: duplicate-id: {tmp_path / 'a.txt'}: another document "
                     f"under the id of {tmp_path / 'a.html'}; both kept",
                     f"eventwire: warning: a: read: duplicate-id: {tmp_path / 'a.txt'}: the same document "
                     f"as {tmp_path / 'a.txt'}; read once"]


def test_cli_extract_event_ids_are_unique_in_a_run_and_the_same_every_run(tmp_path):
    batch = _duplicate_batch(tmp_path)
    runs = [CliRunner().invoke(main, ["extract", str(batch), "-o", "-"]) for _ in range(2)]
    assert [r.exit_code for r in runs] == [0, 0]  # every document was read
    assert runs[0].stdout == runs[1].stdout
    assert _warnings(runs[0].stderr) == [
        "eventwire: warning: a: read: duplicate-id: batch.jsonl:3: the same document as batch.jsonl:1; read once"
        .replace("batch.jsonl", str(batch)),
        "eventwire: warning: a: read: duplicate-id: batch.jsonl:4: another document under the id of batch.jsonl:1;"
        " both kept".replace("batch.jsonl", str(batch))]
    events = [json.loads(line) for line in runs[0].stdout.splitlines()]
    ids = [e["event_id"] for e in events if e["doc_id"] == "a"]
    assert len(ids) == 2 and len(set(ids)) == 2  # one per distinct document, no repeat
    assert ids[1].startswith(ids[0] + "-")  # the store's suffix for a taken id


def test_cli_ingest_reports_a_repeated_id_and_stores_what_extract_writes(tmp_path):
    batch = _duplicate_batch(tmp_path)
    db = str(tmp_path / "store.sqlite")
    extracted = CliRunner().invoke(main, ["extract", str(batch), "-o", "-"])
    first = CliRunner().invoke(main, ["ingest", str(batch), "--db", db])
    again = CliRunner().invoke(main, ["ingest", str(batch), "--db", db])
    assert (first.exit_code, again.exit_code) == (0, 0)
    assert _warnings(first.stderr) == _warnings(again.stderr) == _warnings(extracted.stderr)
    assert "3 new document(s)" in first.stderr and "0 new document(s), 3 already stored" in again.stderr
    exported = CliRunner().invoke(main, ["export", "--db", db, "--format", "jsonl"])
    stored_ids = sorted(json.loads(line)["event_id"] for line in exported.stdout.splitlines())
    assert stored_ids == sorted(json.loads(line)["event_id"] for line in extracted.stdout.splitlines())


def test_cli_extract_two_pages_that_clean_to_one_text_are_extracted_once(tmp_path):
    body = f"<article><p>{KILLING} The attackers fled into the desert after the raid, residents said.</p></article>"
    rows = [{"id": "p", "html": f"<html><body><nav><a href='/'>Home</a></nav>{body}</body></html>"},
            {"id": "p", "html": f"<html><body><nav><a href='/'>Front page</a></nav>{body}</body></html>"}]
    batch = tmp_path / "pages.jsonl"
    batch.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(batch), "-o", "-"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 1  # one event, not the same one twice
    assert "warning: p: extract: duplicate-id: the same text as an earlier document" in result.stderr


def test_cli_read_records_the_encoding_only_when_asked(tmp_path):
    """EVENTS.md lists the read record's fields, encoding not among them: `read` keeps to the
    list, and `read --with-encoding` adds the encoding the bytes were read in."""
    (tmp_path / "sp.txt").write_bytes("A polícia de São Paulo informou que dois homens morreram.".encode("latin-1"))
    plain = CliRunner().invoke(main, ["read", str(tmp_path / "sp.txt")])
    detailed = CliRunner().invoke(main, ["read", "--with-encoding", str(tmp_path / "sp.txt")])
    doc = json.loads(plain.stdout)
    assert "encoding" not in doc and "São Paulo" in doc["text"]
    assert json.loads(detailed.stdout) == doc | {"encoding": "cp1252"}


# --- issue 16 items 2-4 through the commands: the good documents around a bad one survive ----

def test_cli_extract_deep_and_non_utf8_lines_cost_only_themselves(tmp_path):
    batch = tmp_path / "b.jsonl"
    batch.write_bytes(b"\n".join([
        json.dumps({"id": "first", "text": KILLING}).encode(),
        b'{"id": "deep", "text": "x", "n": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        '{"id": "lat", "text": "Polícia de São Paulo"}'.encode("latin-1"),
        json.dumps({"id": "last", "text": KILLING.replace("Monday", "Tuesday")}).encode()]) + b"\n")
    result = CliRunner().invoke(main, ["extract", str(batch), "-o", "-"])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"eventwire: deep: read: bad-json: {batch}:2: JSON nested too deeply to read",
        f"eventwire: lat: read: bad-encoding: {batch}:3: document lat: not UTF-8 (byte 0xed at column 27);"
        " JSONL must be UTF-8",
        "eventwire: 2 document(s) failed"]
    assert {json.loads(line)["doc_id"] for line in result.stdout.splitlines()} == {"first", "last"}


def test_cli_ingest_an_unreadable_file_costs_only_itself(open_dir, tmp_path):
    """The run used to die on the PermissionError and roll back the documents before it."""
    for name in ("a", "secret", "z"):
        (open_dir / f"{name}.txt").write_text(KILLING.replace("Monday", name), encoding="utf-8")
        os.chmod(open_dir / f"{name}.txt", 0o644)
    os.chmod(open_dir / "secret.txt", 0o000)
    store = open_dir / "store"  # a folder the unprivileged child may write its store in
    store.mkdir()
    os.chmod(store, 0o777)

    def ingest():
        result = CliRunner().invoke(main, ["ingest", str(open_dir), "--db", str(store / "s.sqlite")])
        return result.exit_code, result.stderr

    warm = tmp_path  # the same run as root first: every module the child needs is imported
    (warm / "w.txt").write_text(KILLING, encoding="utf-8")
    assert CliRunner().invoke(main, ["ingest", str(warm), "--db", str(warm / "w.sqlite")]).exit_code == 0
    code, stderr = _as_unprivileged(ingest)
    assert code == 1, stderr
    assert "Traceback" not in stderr
    assert "2 new document(s)" in stderr
    assert f"eventwire: secret: read: no-access: {open_dir / 'secret.txt'}: cannot read the file (Permission denied)" in stderr


# --- issue 16: a JSONL batch saved as UTF-16 (Windows' "Unicode") -----------------------------

@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_inputs_jsonl_with_a_wide_byte_order_mark_is_read_line_by_line(tmp_path, codec):
    rows = [json.dumps({"id": "a", "text": GOOD + " São Paulo."}, ensure_ascii=False), "{broken",
            json.dumps({"id": "b", "text": GOOD})]
    data = "\r\n".join(rows).encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data  # the explicit-endian codec writes no mark of its own
    (tmp_path / "wide.jsonl").write_bytes(data)
    items = list(iter_documents([str(tmp_path / "wide.jsonl")]))
    assert [(i.id, i.text) for i in items if isinstance(i, RawDocument)] == [
        ("a", GOOD + " São Paulo."), ("b", GOOD)]
    (bad,) = [i for i in items if isinstance(i, Rejected)]
    assert bad.code == "bad-json" and "wide.jsonl:2" in bad.message()


def test_inputs_utf16_jsonl_bad_line_and_cut_end_are_one_line_each(tmp_path):
    lone = '{"id": "s", "text": "' + GOOD + ' \ud800"}'  # an unpaired surrogate in the file itself
    data = ("\n".join([lone, json.dumps({"id": "ok", "text": GOOD})]) + "\n").encode("utf-16", "surrogatepass")
    (tmp_path / "wide.jsonl").write_bytes(data + b"{")  # ends inside a character
    items = list(iter_documents([str(tmp_path / "wide.jsonl")]))
    assert [i.id for i in items if isinstance(i, RawDocument)] == ["ok"]
    assert [(i.item_id, i.code) for i in items if isinstance(i, Rejected)] == [
        ("s", "bad-encoding"), ("wide.jsonl:3", "bad-encoding")]
    assert all("\n" not in i.message() for i in items if isinstance(i, Rejected))
