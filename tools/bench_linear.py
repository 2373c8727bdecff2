#!/usr/bin/env python3
"""Does reading and extracting cost time linear in the document's length?

Usage: .venv/bin/python tools/bench_linear.py [--shapes real,one-line,...] [--sizes 0.5,1,2]
       [--stage extract|read] [--max-ratio 2.6] [--clock cpu|wall]

Builds documents of each shape at each size (MiB of UTF-8), times the stage on each (resources
loaded once, one warm-up run first) and prints wall and CPU seconds, MB/s and the growth factor
from one size to the next, judged on this process's CPU time by default (--clock), since on a
shared machine other processes stretch wall time. Time linear in length grows by the size
factor (x2 for doubled sizes); quadratic by its square. Exits 1 when a growth factor exceeds --max-ratio times the size factor
divided by 2 (i.e. 2.6 for a doubling by default).

Shapes: real text (the FA-KES dev articles, CC BY 4.0, from ../shared/eval/dev, cycled; the
sample articles when absent), and hostile ones made from it: one-line (no line breaks),
no-stops (no sentence ends: one sentence), names (a place and actor list without end),
digits, and for --stage read: html (the real text as <p> paragraphs), html-deep (nested
<div>s) and html-attr (one huge attribute).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAKES = ROOT.parent / "shared" / "eval" / "dev" / "fakes.dev.jsonl"
SAMPLES = ROOT / "samples"
MIB = 1024 * 1024


def real_paragraphs() -> list[str]:
    """Real article paragraphs: FA-KES dev articles when present, else the sample articles."""
    if FAKES.exists():
        texts = [json.loads(line)["text"] for line in FAKES.open(encoding="utf-8") if line.strip()]
    else:
        texts = [p.read_text("utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    return [p.strip() for t in texts for p in re.split(r"\n\s*\n|(?<=\.) (?=[A-Z])", t) if p.strip()]


def _cycle(parts: list[str], size: int, sep: str) -> str:
    """Join parts (cycled; every cycle in a new order, so no page-long repeat) to `size` bytes."""
    out, total, k = [], 0, 0
    while total < size:
        rotated = parts[k % len(parts):] + parts[:k % len(parts)]
        for p in rotated[::1 + k % 3] if k else rotated:
            out.append(p)
            total += len(p.encode("utf-8")) + len(sep)
            if total >= size:
                break
        k += 7
    return sep.join(out)


def make(shape: str, size: int, paras: list[str]) -> str:
    """One document of the given shape and (approximate) size in bytes."""
    if shape == "real":
        return _cycle(paras, size, "\n\n")
    if shape == "one-line":
        return _cycle(paras, size, " ")
    if shape == "no-stops":
        return re.sub(r"[.!?;:]", "", _cycle(paras, size, " "))
    if shape == "names":
        names = ("Idlib, Aleppo, Hama, Homs, Deir ez-Zor, Raqqa, Kobani, Afrin, Manbij, Daraa, "
                 "the Syrian Democratic Forces, Islamic State, Hayat Tahrir al-Sham, the regime, ")
        return ("Clashes and shelling in " + names * (size // len(names) + 1))[:size]
    if shape == "digits":
        return ("Shelling killed " + " ".join(str(i % 997) for i in range(size // 4)))[:size]
    if shape == "html":
        return "<html><body><article>" + "".join(f"<p>{p}</p>" for p in _cycle(paras, size, "\n").split("\n")) + "</article></body></html>"
    if shape == "html-deep":
        body = _cycle(paras, size // 2, "\n").split("\n")
        depth = len(body)
        return ("<html><body>" + "".join(f"<div><p>{p}</p>" for p in body) + "</div>" * depth + "</body></html>")
    if shape == "html-attr":
        text = _cycle(paras, 8192, "\n").split("\n")
        return (f'<html><body><div data-x="{"x" * size}"></div><article>'
                + "".join(f"<p>{p}</p>" for p in text) + "</article></body></html>")
    raise SystemExit(f"bench_linear: unknown shape {shape!r}")


def time_extract(text: str, resources) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, items out) of extracting one document."""
    from eventwire.pipeline import extract
    from eventwire.records import Article
    t, c = time.perf_counter(), time.process_time()
    n = sum(1 for _ in extract([Article(id="bench", text=text)], resources))
    return time.perf_counter() - t, time.process_time() - c, n


def time_read(text: str, shape: str, tmp: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, characters kept) of reading one page."""
    from eventwire.pipeline import read_documents
    path = tmp / ("bench.html" if shape.startswith("html") else "bench.txt")
    path.write_text(text, encoding="utf-8")
    t, c = time.perf_counter(), time.process_time()
    items = list(read_documents([str(path)]))
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    return wall, cpu, sum(len(getattr(i, "text", "")) for i in items)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stage", choices=["extract", "read"], default="extract")
    ap.add_argument("--shapes", default="real")
    ap.add_argument("--sizes", default="0.5,1,2", help="MiB, ascending")
    ap.add_argument("--max-ratio", type=float, default=2.6, help="allowed growth per doubling")
    ap.add_argument("--clock", choices=["cpu", "wall"], default="cpu",
                    help="judge growth on this process's CPU time (default: other processes on a "
                         "shared machine stretch wall time, not CPU time) or on wall time")
    args = ap.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    paras = real_paragraphs()
    resources = None
    if args.stage == "extract":
        from eventwire.resources import load_resources
        resources = load_resources()
        time_extract(make("real", 20_000, paras), resources)  # warm caches
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shapes.split(","):
            timed: list[tuple[float, float]] = []  # (MiB, seconds on the chosen clock)
            for mib in sizes:
                text = make(shape, int(mib * MIB), paras)
                if args.stage == "extract":
                    wall, cpu, out = time_extract(text, resources)
                    what = f"{out} items"
                else:
                    wall, cpu, out = time_read(text, shape, Path(tmp))
                    what = f"{out} chars kept"
                secs = cpu if args.clock == "cpu" else wall
                line = (f"{args.stage} {shape:9} {mib:6.3f} MiB: {wall:7.2f} s wall {cpu:7.2f} s CPU"
                        f"  {mib / max(secs, 1e-3):6.3f} MiB/s  {what}")
                if timed:
                    growth = secs / max(timed[-1][1], 1e-3)
                    allowed = args.max_ratio * (mib / timed[-1][0]) / 2
                    worst = max(worst, growth / allowed)
                    line += f"  x{growth:.2f} for x{mib / timed[-1][0]:.0f} size"
                print(line, flush=True)
                timed.append((mib, secs))
            if len(timed) > 2:
                (small, t0), (large, t1) = timed[0], timed[-1]
                print(f"{args.stage} {shape:9} {large:g} MiB / {small:g} MiB: x{t1 / max(t0, 1e-3):.2f} the "
                      f"{args.clock} time for x{large / small:g} the text", flush=True)
    verdict = "linear" if worst <= 1 else "SUPERLINEAR"
    print(f"bench_linear: {verdict} (worst growth {worst:.2f} of the allowed)")
    return 0 if worst <= 1 else 1


if __name__ == "__main__":
    sys.exit(main())
