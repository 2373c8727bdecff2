"""The Dask engine (issue 14) and concurrent ingests (issue 16 item 1), with real processes.

Every test compares a store with one a clean serial ingest built from the same input: the
export (events, ids, sources, in order) and the row counts must be identical.
"""
from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from eventwire import services

ROOT = Path(__file__).resolve().parent.parent
FAKES = ROOT.parent / "shared" / "eval" / "dev" / "fakes.dev.jsonl"
EVENTWIRE = [str(Path(sys.executable).parent / "eventwire")]

pytest.importorskip("distributed")  # the [test] extra installs it, so CI runs these


def _bench():
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "tools" / "bench_scale.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> Path:
    """120 distinct documents: the seeds and FA-KES texts, copied with dates shifted by weeks,
    plus one page with no article (a bad document the workers report)."""
    if not FAKES.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{FAKES} is missing: CI must run beside ../shared")
        pytest.skip("../shared/eval/dev/fakes.dev.jsonl is not beside this checkout")
    bench = _bench()
    sources = bench.load_texts([ROOT / "samples" / "seeds.jsonl", FAKES])
    docs = list(bench.make_documents(sources, 120))
    docs.insert(17, {"id": "no-body-page", "html": "<html><body><nav><a href='/'>Home</a></nav></body></html>"})
    return bench.write_documents(docs, tmp_path_factory.mktemp("scale") / "docs.jsonl")


@pytest.fixture(scope="module")
def serial(documents, tmp_path_factory) -> tuple[str, dict]:
    """The reference: a serial ingest of the documents into SQLite (export, counts)."""
    db = str(tmp_path_factory.mktemp("serial") / "serial.sqlite")
    report = services.ingest([str(documents)], db)
    assert report.documents_new == 120
    return _export(db), services.store_counts(db)


@pytest.fixture(scope="module")
def extracted(documents) -> list:
    """The documents read and extracted once, in input order, as an engine hands them over."""
    from eventwire.engines_worker import process_documents, worker_resources
    from eventwire.inputs import iter_documents
    return list(process_documents(iter_documents([str(documents)]), *worker_resources(), {}))


@pytest.fixture(scope="module")
def engine():
    """A real LocalCluster of two worker processes, shared by this module's tests."""
    from eventwire.engines import DaskEngine
    with DaskEngine(workers=2) as running:
        running.start()
        yield running


def _export(db: str) -> str:
    out = io.StringIO()
    services.export_events(db, "jsonl", services.EventQuery(), out)
    return out.getvalue()


def _assert_same(db: str, serial: tuple[str, dict]) -> None:
    export, counts = serial
    assert services.store_counts(db) == counts
    if db.startswith("postgresql"):
        # PostgreSQL has no total order yet among the events of one document (they share a
        # seq: issue 16 item 11), so the same records may come in another order there.
        assert sorted(_export(db).splitlines()) == sorted(export.splitlines())
    else:
        assert _export(db) == export


def _ingest_cmd(*args: str) -> list[str]:
    return EVENTWIRE + ["ingest", *args]


def _wait_for_documents(db: str, at_least: int, proc: subprocess.Popen, limit: float = 120) -> int:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the ingest ended before it could be interrupted: {proc.stderr.read()}")
        try:
            n = services.store_counts(db)["documents"]
        except services.StoreError:
            n = 0
        if n >= at_least:
            return n
        time.sleep(0.05)
    pytest.fail("the ingest stored nothing in time")


def test_dask_ingest_equals_serial(engine, documents, serial, store_url):
    """Two real worker processes, on SQLite and on the real PostgreSQL: same store as serial;
    the page without an article is reported by the worker, and the rest go on."""
    report = services.ingest([str(documents)], store_url, engine=engine)
    assert report.documents_new == 120
    assert [(r.item_id, r.code) for r in report.rejected] == [("no-body-page", "no-article")]
    _assert_same(store_url, serial)
    again = services.ingest([str(documents)], store_url, engine=engine)
    assert (again.documents_new, again.documents_skipped) == (0, 120)
    _assert_same(store_url, serial)


def test_seeds_identical_through_the_cli(tmp_path):
    """The command line: `--engine dask --workers 2` stores exactly what the serial run does."""
    seeds = str(ROOT / "samples" / "seeds.jsonl")
    serial_db, dask_db = str(tmp_path / "s.sqlite"), str(tmp_path / "d.sqlite")
    subprocess.run(_ingest_cmd(seeds, "--db", serial_db), check=True, capture_output=True)
    done = subprocess.run(_ingest_cmd(seeds, "--db", dask_db, "--engine", "dask", "--workers", "2"),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "5 new document(s)" in done.stderr
    assert _export(dask_db) == _export(serial_db) != ""


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(engine, documents, serial, tmp_path):
    """kill -9 of a worker process mid-run: Dask recomputes its partitions, and the store
    equals the serial one."""
    pids = engine.client.run(os.getpid)
    victim = next(iter(pids.values()))
    seen = []

    def kill_after_some(items):
        for item in items:
            seen.append(item)
            if len(seen) == 40:
                os.kill(victim, signal.SIGKILL)
            yield item
    db = str(tmp_path / "killed-worker.sqlite")
    report = services.ingest([str(documents)], db, progress=kill_after_some, engine=engine)
    assert report.documents_new == 120
    assert victim not in engine.client.run(os.getpid).values()
    _assert_same(db, serial)


def test_a_killed_ingest_resumes(documents, serial, store_url):
    """kill -9 of the whole ingest (writer and its cluster) mid-run, then the same command
    again: nothing lost, nothing twice, and the second run extracts only what the first had
    not stored (its own summary line counts the documents extracted)."""
    cmd = _ingest_cmd(str(documents), "--db", store_url, "--engine", "dask", "--workers", "2")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        _wait_for_documents(store_url, 10, proc)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    stored = services.store_counts(store_url)["documents"]
    assert stored < 120, "the ingest finished before it was killed"
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    new, skipped, extracted = _summary(done.stderr)
    assert (new, skipped, extracted) == (120 - stored, stored, 120 - stored)
    _assert_same(store_url, serial)


def _summary(stderr: str) -> tuple[int, int, int]:
    """(new, already stored, extracted) from an ingest's summary line."""
    m = re.search(r"(\d+) new document\(s\), (\d+) already stored, \d+ copied from a stored"
                  r" one, (\d+) extracted", stderr)
    assert m, stderr
    return int(m[1]), int(m[2]), int(m[3])


def test_a_lost_postgresql_connection_is_one_line_and_resumable(documents, serial, store_url):
    """The server drops the writer's connection mid-run: one error line naming the store, a
    failing exit, and the same command again completes the store."""
    if not store_url.startswith("postgresql"):
        pytest.skip("a connection to lose is PostgreSQL's")
    import psycopg
    app = "ew_lost_" + uuid.uuid4().hex[:8]
    url = f"{store_url}&application_name={app}"
    proc = subprocess.Popen(_ingest_cmd(str(documents), "--db", url), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    _wait_for_documents(store_url, 10, proc)
    with psycopg.connect(os.environ["EVENTWIRE_TEST_PG"], autocommit=True) as conn:
        killed = conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                              " WHERE application_name = %s", (app,)).fetchall()
    assert killed
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 6  # a StoreError's exit status (cli._EXIT_CODES)
    assert "Traceback" not in err
    assert err.strip().splitlines() == [err.strip()] and "lost the connection to the store" in err
    done = subprocess.run(_ingest_cmd(str(documents), "--db", store_url), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    _assert_same(store_url, serial)


def test_two_ingests_of_one_input_at_once(documents, extracted, store_url, tmp_path):
    """Issue 16 item 1: two processes ingest the same input (the first 40 documents) at the
    same time; both exit 0 and the store equals one ingest."""
    batch = _first_lines(documents, 40, tmp_path / "batch.jsonl")
    reference = str(tmp_path / "reference.sqlite")
    services.ingest_extracted(reference, extracted[:40])
    cmd = _ingest_cmd(str(batch), "--db", store_url)
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for code, err in results:
        assert code == 0, err
        assert "Traceback" not in err
    _assert_same(store_url, (_export(reference), services.store_counts(reference)))


def _first_lines(documents: Path, n: int, path: Path) -> Path:
    lines = [x for x in documents.read_text("utf-8").split("\n") if x.strip()]
    path.write_text("\n".join(lines[:n]) + "\n", "utf-8")
    return path


def test_two_batches_at_once_equal_one_after_the_other(documents, extracted, store_url, tmp_path):
    """Two ingests of different batches at once give the store that the two batches ingested
    one after the other give (in the order the store took them); a third ingest of a batch
    adds nothing."""
    lines = [x for x in documents.read_text("utf-8").split("\n") if x.strip()]
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(lines[:60]) + "\n", "utf-8")
    second.write_text("\n".join(lines[60:]) + "\n", "utf-8")
    orders = []  # the two sequential stores, linked from one extraction of the documents
    for name, batches in (("ab", (extracted[:60], extracted[60:])), ("ba", (extracted[60:], extracted[:60]))):
        db = str(tmp_path / f"{name}.sqlite")
        for batch in batches:
            services.ingest_extracted(db, batch)
        orders.append((_export(db), services.store_counts(db)))
    procs = [subprocess.Popen(_ingest_cmd(str(batch), "--db", store_url), stderr=subprocess.PIPE,
                              text=True) for batch in (first, second)]
    for p in procs:
        assert p.wait(timeout=300) == 0, p.stderr.read()
    matches = []
    for sequential in orders:
        try:
            _assert_same(store_url, sequential)
            matches.append(sequential)
        except AssertionError:
            pass
    assert matches, "the concurrent store equals neither sequential order"
    third = services.ingest([str(first)], store_url)
    assert (third.documents_new, third.reports) == (0, 0)
    _assert_same(store_url, matches[0])


def test_an_unreachable_scheduler_is_one_line(tmp_path):
    done = subprocess.run(_ingest_cmd(str(ROOT / "samples" / "seeds.jsonl"), "--db",
                                      str(tmp_path / "s.sqlite"), "--engine", "dask",
                                      "--scheduler", "tcp://127.0.0.1:9"),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "Dask scheduler at tcp://127.0.0.1:9" in done.stderr.strip().splitlines()[-1]


def test_a_document_that_kills_its_worker_is_one_line(tmp_path):
    """A page whose parse outgrows the workers' memory limit: the nanny kills each worker it
    runs on; the page gets one worker-died line naming it, and the rest of its partition is
    stored as a serial ingest stores it."""
    seeds = [line for line in (ROOT / "samples" / "seeds.jsonl").read_text("utf-8").splitlines() if line]
    bomb = {"id": "memory-bomb", "html": "<html><body><article>" + "<p>a</p>" * 300_000 + "</article></body></html>"}
    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join(seeds[:3] + [json.dumps(bomb)] + seeds[3:]) + "\n", "utf-8")
    serial_db, dask_db = str(tmp_path / "s.sqlite"), str(tmp_path / "d.sqlite")
    services.ingest([str(ROOT / "samples" / "seeds.jsonl")], serial_db)
    done = subprocess.run(_ingest_cmd(str(docs), "--db", dask_db, "--engine", "dask", "--workers", "2",
                                      "--worker-memory", "250MiB"),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr  # a document failed
    assert all(line.startswith("eventwire: ") for line in done.stderr.splitlines()), done.stderr
    died = [line for line in done.stderr.splitlines() if "worker-died" in line]
    assert len(died) == 1 and died[0].startswith("eventwire: memory-bomb: extract: worker-died: "), done.stderr
    assert _summary(done.stderr)[:2] == (5, 0)
    assert _export(dask_db) == _export(serial_db) != ""


def _readme_commands() -> list[list[str]]:
    """The several-machines recipe in the README: the exports, the scheduler, the worker and
    the ingest command lines (comments dropped)."""
    text = (ROOT / "README.md").read_text("utf-8")
    block = text[text.index("On several machines"):]
    lines = [line.split("  #")[0].strip() for line in block.splitlines() if line.startswith("    ")]
    return [shlex.split(line) for line in lines[:4]]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_several_machines_as_the_readme_says(documents, serial, store_url, tmp_path):
    """The README's recipe, each part its own process as on separate hosts: `dask scheduler`,
    two `dask worker tcp://...` of one core each, and the README's exact ingest command
    against the real PostgreSQL; the store equals the serial one."""
    if not store_url.startswith("postgresql"):
        pytest.skip("the several-machines recipe shares one PostgreSQL")
    from distributed import Client
    exports, scheduler_cmd, worker_cmd, ingest_cmd = _readme_commands()
    assert exports[0] == "export" and scheduler_cmd[:2] == ["dask", "scheduler"]
    assert worker_cmd[:2] == ["dask", "worker"] and ingest_cmd[:2] == ["eventwire", "ingest"]
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, **dict(kv.split("=", 1) for kv in exports[1:]))
    bin_dir = Path(sys.executable).parent

    def local(cmd: list[str]) -> list[str]:
        """A host's command here: this venv's programs, this machine's address and port."""
        swapped = {"tcp://hostA:8786": address, "8786": str(port), "-1": "1",
                   "feed/": str(documents), "postgresql://user@dbhost/eventwire": store_url}
        return [str(bin_dir / cmd[0])] + [swapped.get(arg, arg) for arg in cmd[1:]]
    log = open(tmp_path / "cluster.log", "w")
    procs = [subprocess.Popen(local(scheduler_cmd), env=env, stdout=log, stderr=log)]
    try:
        procs += [subprocess.Popen(local(worker_cmd), env=env, stdout=log, stderr=log) for _ in range(2)]
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
            assert sorted(client.nthreads().values()) == [1, 1]
        done = subprocess.run(local(ingest_cmd), capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        assert _summary(done.stderr)[:2] == (120, 0)
        _assert_same(store_url, serial)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()
