"""Hypothesis fuzzing of the readers and the commands `read`, `extract` and `ingest` (issue
16): random bytes, encodings, JSON, nesting, markup and huge lines beside good documents. Whatever comes in: no traceback,
every good neighbour kept, one line per bad document naming it, and a non-zero exit status
exactly when some document failed."""
from __future__ import annotations

import json
import re

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire.cli import main

GOOD = {
    "good_a": "On Monday, gunmen killed two shepherds near Palmyra in Homs province, a monitoring "
              "group said. The attackers fled into the desert after the raid on the village.",
    "good_b": "Shelling hit a market in the town of Ariha on Tuesday, wounding five civilians, local "
              "rescuers said. Residents said the shells were fired from positions to the south.",
}
# derandomized with no example database: CI runs the same examples every time
FUZZ = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])
_LINE = re.compile(r"^eventwire: (warning: )?(?P<id>.+?): (read|extract): [a-z-]+: .+$")
_INGEST_SUMMARY = re.compile(r"^eventwire: .+: \d+ new document\(s\), \d+ already stored, .+ existing events$")
_GOOD_IDS = {"good_a", "good_b", "line_good_a", "line_good_b"}

_TAGS = st.sampled_from(["div", "p", "span", "article", "script", "style", "table", "td", "b", "a", "li"])
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
_ATTRS = st.sampled_from(["", ' class="x"', ' href="&amp;&lt;"', ' data-x="' + "y" * 5000 + '"', " onload=alert(1)", ' a="'])


@st.composite
def _markup(draw, depth=0):
    """Random, often broken HTML: nested tags, stray closers, entities, scripts, comments."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 6 if depth < 4 else 2))
        if kind == 0:
            parts.append(draw(_TEXT).replace("<", "&lt;"))
        elif kind == 1:
            parts.append(draw(st.sampled_from(["&amp;", "&#0;", "&#x110000;", "&nbsp;", "&lol;", "</div>", "<!--", "-->", "<![CDATA[", "<"])))
        elif kind == 2:
            parts.append(draw(st.sampled_from(["<br>", "<img src=x>", "<hr/>", "<meta charset=koi8-r>"])))
        else:
            tag = draw(_TAGS)
            inner = draw(_markup(depth + 1))
            closed = draw(st.booleans())
            parts.append(f"<{tag}{draw(_ATTRS)}>{inner}" + (f"</{tag}>" if closed else ""))
    return "".join(parts)


def _deep(n: int) -> str:
    return "<html><body>" + "<div>" * n + "<p>" + GOOD["good_a"] + "</p>" + "</div>" * n + "</body></html>"


_FILE_BODIES = st.one_of(
    st.binary(max_size=600),
    _TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(_TEXT, st.sampled_from(["latin-1", "cp1256", "utf-16", "cp1251"])).map(
        lambda te: te[0].encode(te[1], "replace")),
)
_HTML_BODIES = st.one_of(
    _markup().map(lambda m: ("<html><body>" + m + "</body></html>").encode("utf-8")),
    st.sampled_from([10, 300, 3000]).map(lambda n: _deep(n).encode("utf-8")),
    st.binary(max_size=300),
)
_JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | _TEXT,
                            lambda kids: st.lists(kids, max_size=3) | st.dictionaries(_TEXT, kids, max_size=3),
                            max_leaves=10)
_JSONL_LINES = st.one_of(
    _JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    st.builds(lambda i, t: json.dumps({"id": i, "text": t}).encode(), _JSON_VALUES, _JSON_VALUES),
    st.builds(lambda t: json.dumps({"id": "x", "html": t}).encode(), _markup()),
    st.sampled_from([1, 900, 5000, 100_000]).map(lambda n: b'{"id": "deep", "text": "t", "n": ' + b"[" * n + b"]" * n + b"}"),
    st.binary(max_size=200).map(lambda b: b.replace(b"\n", b" ")),
    _TEXT.map(lambda t: ('{"id": "enc", "text": "São %s"}' % t.replace('"', "")).encode("latin-1", "replace")),
)


def _layout(tmp, files, html_pages, lines):
    """Write the good documents and the random ones; return the input directory."""
    folder = tmp / "in"
    folder.mkdir()
    for name, text in GOOD.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    for i, data in enumerate(files):
        (folder / f"rand{i}.txt").write_bytes(data)
    for i, data in enumerate(html_pages):
        (folder / f"page{i}.html").write_bytes(data)
    good_lines = [json.dumps({"id": f"line_{k}", "text": v}).encode() for k, v in GOOD.items()]
    (folder / "batch.jsonl").write_bytes(b"\n".join(good_lines[:1] + list(lines) + good_lines[1:]) + b"\n")
    return folder


def _check(result, written_ids, summary=None):
    """The properties every run must hold."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    failed = False
    for line in result.stderr.splitlines():
        if re.match(r"^eventwire: \d+ document\(s\) failed$", line) or summary and summary.match(line):
            continue
        m = _LINE.match(line)
        assert m, f"not a one-line error: {line!r}"
        failed |= not m.group(1)
    assert _GOOD_IDS <= written_ids
    assert not any(f": {g}: " in result.stderr for g in _GOOD_IDS)
    assert result.exit_code == (1 if failed else 0)


def _run(command, tmp, files, html_pages, lines, id_field):
    folder = _layout(tmp, files, html_pages, lines)
    result = CliRunner().invoke(main, [command, str(folder), "-o", "-"])
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    _check(result, {r[id_field] for r in records})


@FUZZ
@given(files=st.lists(_FILE_BODIES, max_size=3), html_pages=st.lists(_HTML_BODIES, max_size=3),
       lines=st.lists(_JSONL_LINES, max_size=4))
def test_fuzz_read_keeps_good_documents_and_reports_each_bad_one(tmp_path_factory, files, html_pages, lines):
    _run("read", tmp_path_factory.mktemp("fuzz"), files, html_pages, lines, "id")


@settings(FUZZ, max_examples=10)
@given(files=st.lists(_FILE_BODIES, max_size=2), html_pages=st.lists(_HTML_BODIES, max_size=2),
       lines=st.lists(_JSONL_LINES, max_size=3))
def test_fuzz_extract_keeps_good_documents_and_reports_each_bad_one(tmp_path_factory, files, html_pages, lines):
    _run("extract", tmp_path_factory.mktemp("fuzz"), files, html_pages, lines, "doc_id")


@settings(FUZZ, max_examples=8)
@given(files=st.lists(_FILE_BODIES, max_size=2), html_pages=st.lists(_HTML_BODIES, max_size=2),
       lines=st.lists(_JSONL_LINES, max_size=3))
def test_fuzz_ingest_stores_good_documents_and_reports_each_bad_one(tmp_path_factory, files, html_pages, lines):
    tmp = tmp_path_factory.mktemp("fuzz")
    folder, db = _layout(tmp, files, html_pages, lines), str(tmp / "store.sqlite")
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", db])
    exported = CliRunner().invoke(main, ["export", "--db", db, "--format", "jsonl"])
    assert exported.exit_code == 0, exported.stderr
    stored = {s["doc_id"] for line in exported.stdout.splitlines() for s in json.loads(line)["sources"]}
    _check(result, stored, _INGEST_SUMMARY)
    # the same batch again stores nothing new and says the same about each bad document
    again = CliRunner().invoke(main, ["ingest", str(folder), "--db", db])
    assert "0 new document(s)" in again.stderr and again.exit_code == result.exit_code
    assert [x for x in again.stderr.splitlines() if not _INGEST_SUMMARY.match(x)] == \
        [x for x in result.stderr.splitlines() if not _INGEST_SUMMARY.match(x)]
