#!/usr/bin/env python3
"""The gain from analysts' corrections alone, on the FA-KES dev articles (issue 15).

1. Ingest the FA-KES dev articles into a fresh store, serve it (`eventwire serve --token`),
   and extract them (`eventwire extract`, as ../shared/eval/run.sh does): the *before*.
2. Pick 10 villages to pin and 10 actor aliases to add, by the rules below, from the gold
   labels and the *before* output of the fold named by --pick-from.
3. Post them to the running server, as an analyst would (`POST /places`,
   `POST /actors/aliases`, with the token); the server writes them to the place and actor
   overlays (private to this run: $EVENTWIRE_GAZETTEER, $EVENTWIRE_ACTORS in --work).
4. Extract again with the same overlays: the *after*. Print both, for the set and each fold,
   and the headroom: how many misses a corrected name could fix at all (an article whose gold
   governorate's places, or gold actor, the dictionaries already read is missed by choosing
   among names, not for want of one).

Figures, each over an article's main event (the one ../shared/eval/score.py scores: most
deaths, then most confident): `admin1`, `perpetrator`, `fatalities_within_20pct` as score.py
computes them; `placed`, the share of articles whose main event has coordinates; and
`location_25km`, the share whose main event lies within 25 km of the gold governorate
(FA-KES labels a governorate, not a village; the governorate outlines are the packaged,
approximate `eventwire/data/boundaries/admin1.geojson`, which the 25 km absorbs).

The rules (nothing is chosen by hand):
- **Villages.** A village is unplaced when the packaged gazetteer does not know its name,
  mis-placed when it knows the name only outside the village's governorate. A candidate is a
  settlement (a UCDP GED place of kind village, town, camp or neighbourhood, read from
  --places: an analyst reads a position off a map, and these points play the map) of an
  article's gold governorate that the article names after a place cue ("in", "near", "the
  village of"), written as a capitalised name in one of its spellings, and that the
  gazetteer does not know in that governorate. A name the gazetteer holds as a country or a
  first-level region (Hama, Qatar) is no village, and a name the actor dictionary reads is a
  person or a group. The 10 candidates named by the most articles are pinned (ties: by name),
  with the spellings the articles use.
- **Actor aliases.** A candidate is a phrase naming armed men that the actor dictionary does
  not read as a whole: a capitalised name led by an Arabic group word ("Jaish al-Fateh"), or
  one to three capitalised or hyphenated modifiers before a noun for armed men ("Kurdish
  fighters", "Belgian F-16 jets"). Candidates are ranked by how many articles use them (ties:
  by phrase). Which actor a phrase names is not read off the gold labels (FA-KES labels the
  article's perpetrator, and an article names both sides: with the labels, "Syria rebels"
  became the Islamic State), but taken from an analyst's hand-entered reading with a reason
  for each, tools/data/bench_aliases.json; a phrase that names no single actor ("Takfiri
  terrorists") is skipped, and so is one the table does not judge (printed). The first 10
  mapped are posted.

Usage: python tools/bench_corrections.py [--pick-from all|A|B] [--work DIR]
       [--eval-dir ../shared/eval] [--places ../shared/data/places]
Standard library only (plus eventwire itself, for the gazetteer and the actor dictionary).
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOKEN = "bench-corrections-token"
OFF_KM = 25.0
PICK = 10
ALIAS_TABLE = ROOT / "tools" / "data" / "bench_aliases.json"
_GENERIC = {"Unidentified Armed Group", "Military Forces"}  # find_actors' names with no country
SETTLEMENTS = {"village", "town", "city", "camp", "neighbourhood", "neighborhood"}
# the candidate grammar for names of armed groups
_HEADS = ("fighters|militants|militiamen|militias?|jihadists|insurgents|terrorists|rebels|"
          "loyalists|gunmen|forces|troops|army|jets|warplanes|aircraft|planes|brigades?|"
          "battalions?|factions?|units")
_GROUP_WORDS = "Jaish|Jaysh|Jabhat|Harakat|Liwa|Kataib|Saraya|Ansar|Ahrar|Faylaq|Hayat|Fateh"
_ARTICLES = {"a", "an", "the"}
_MOD = r"(?:[A-Z][\w'’]*(?:\.[A-Z]\.?)*(?:-[\w'’]+)*|[\w.]+-(?:led|backed|held|linked|allied|affiliated))"
_ARMED = re.compile(rf"\b(?:{_MOD}\s+){{1,3}}(?:{_HEADS})\b")
_NAMED = re.compile(rf"\b(?:{_GROUP_WORDS})(?:[\s-]+(?:al|el|ad|ash|as|ar|an|az|at)?-?[A-Z][\w'’]*)+")
# a name is read as a place only after a place cue ("in", "near", "the village of")
_CUE = re.compile(r"(?:\b(?:in|near|at|outside|around|into|towards?)\s+(?:the\s+)?|\b(?:village|town|"
                  r"city|outskirts|countryside|district|neighbou?rhood|suburb|area|camp)s?\s+of\s+"
                  r"(?:the\s+)?)$")
_NAME = re.compile(r"\b[A-Z][\w'’‘]*(?:[\s-]+(?:al|el|ad|ash|as|ar|an|az|at)?-?[A-Z][\w'’‘]*){0,3}")


def score_module(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("score", eval_dir / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def fold_of(article_id: str) -> str:
    """../shared/eval/folds.py's fixed halves of fakes."""
    import hashlib
    return "A" if int(hashlib.sha256(("fold:" + article_id).encode()).hexdigest(), 16) % 2 == 0 \
        else "B"


# -- where a point lies against a governorate ---------------------------------------------

def _rings(geometry: dict) -> list[list[list[float]]]:
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [ring for poly in polys for ring in poly]


def _inside(lon: float, lat: float, rings) -> bool:
    hit = False
    for ring in rings:  # even-odd over every ring: holes count as outside
        for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
    return hit


def _segment_km(lon, lat, a, b) -> float:
    kx = 111.32 * math.cos(math.radians(lat))
    px, py = 0.0, 0.0
    ax, ay = (a[0] - lon) * kx, (a[1] - lat) * 110.57
    bx, by = (b[0] - lon) * kx, (b[1] - lat) * 110.57
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy)
                                               / (dx * dx + dy * dy)))
    return math.hypot(ax + t * dx - px, ay + t * dy - py)


class Governorates:
    """Syria's approximate governorate outlines, keyed like score.py's admin1_key."""

    def __init__(self, sc) -> None:
        data = json.loads((ROOT / "eventwire/data/boundaries/admin1.geojson").read_text("utf-8"))
        self.sc = sc
        self.rings = {sc.admin1_key(f["properties"]["name"]): _rings(f["geometry"])
                      for f in data["features"] if f["properties"].get("country") == "SY"}
        self.names = {sc.admin1_key(f["properties"]["name"]): f["properties"]["name"]
                      for f in data["features"] if f["properties"].get("country") == "SY"}

    def keys(self, gold: str) -> tuple[str, ...]:
        key = self.sc.admin1_key(gold)
        return (key, "ruraldamascus") if key == "damascus" else (key,)  # as score.py allows

    def km_outside(self, lat: float, lon: float, gold: str) -> float:
        best = math.inf
        for key in self.keys(gold):
            rings = self.rings.get(key)
            if not rings:
                continue
            if _inside(lon, lat, rings):
                return 0.0
            best = min(best, min(_segment_km(lon, lat, a, b)
                                 for ring in rings for a, b in zip(ring, ring[1:])))
        return best


# -- figures ------------------------------------------------------------------------------

def main_events(sc, events_path: Path) -> dict[str, dict]:
    preds = sc.load_pred(str(events_path))
    return {doc: max(evs, key=lambda e: (sc.num(e.get("fatalities")) or 0, sc.conf(e)))
            for doc, evs in preds.items()}


def perpetrator_found(sc, gold_actor: str, event: dict) -> bool:
    names = " | ".join(x for x in (event.get("actor1"), event.get("actor2")) if x).lower()
    return any(k in names for k in sc.FAKES_ACTOR[gold_actor])


def off_km(gov: Governorates, row: dict, event: dict) -> float:
    """How far outside its gold governorate an article's main event lies (inf: unplaced)."""
    if not event or not isinstance(event.get("latitude"), (int, float)):
        return math.inf
    return gov.km_outside(event["latitude"], event["longitude"], row["labels"]["location"])


def figures(sc, gov: Governorates, rows: list[dict], events_path: Path) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    try:
        scored = sc.score_fakes(fh.name, str(events_path))
    finally:
        os.unlink(fh.name)
    mains = main_events(sc, events_path)
    placed = near = town = 0
    for r in rows:
        ev = mains.get(str(r["id"]))
        d = off_km(gov, r, ev)
        placed += d != math.inf
        near += d <= OFF_KM
        town += d != math.inf and ev.get("geo_precision") == 1
    n = len(rows)
    return {"articles": n, "admin1": scored["admin1"], "location_25km": round(near / n, 4),
            "placed": round(placed / n, 4), "town_precision": round(town / n, 4),
            "perpetrator": scored["perpetrator"],
            "fatalities_within_20pct": scored["fatalities_within_20pct"]}


# -- what to teach ------------------------------------------------------------------------

def pick_villages(sc, gov: Governorates, rows: list[dict], places_dir: Path) -> list[dict]:
    from eventwire.gazetteer import fold_key, load_gazetteer, skeleton_key
    from eventwire.resources import load_actor_lexicon
    from eventwire.stages.actors import find_actors
    gaz, lex = load_gazetteer(), load_actor_lexicon()
    by_key: dict[str, list[dict]] = defaultdict(list)
    with open(places_dir / "ucdp_ged_places_SY.tsv", encoding="utf-8") as fh:
        for p in csv.DictReader(fh, delimiter="\t"):
            if p["kind"] in SETTLEMENTS:
                for name in {p["name"], *filter(None, p["alt_names"].split("|"))}:
                    if len(fold_key(name).replace(" ", "")) >= 4:
                        by_key[fold_key(name)].append(p)

    def known(key: str, wanted: tuple[str, ...]) -> bool:
        hits = gaz.lookup(key)
        return any(h.kind in ("PCL", "A1") for h in hits) or any(
            h.cc == "SY" and sc.admin1_key(h.admin1) in wanted for h in hits)

    votes: Counter = Counter()
    spellings: dict[str, set[str]] = defaultdict(set)
    chosen: dict[str, dict] = {}
    for r in rows:
        wanted = gov.keys(r["labels"]["location"])
        text = f"{r.get('title') or ''}\n{r['text']}"
        found = {}
        for m in _NAME.finditer(text):
            if not _CUE.search(text[max(0, m.start() - 30):m.start()]):
                continue  # "President Bashar al-Assad", "head Rami Abdel Rahman": no place
            words = m.group(0).split()
            for i in range(1):
                for j in range(i + 1, len(words) + 1):
                    surface = " ".join(words[i:j])
                    key = fold_key(surface)
                    for p in by_key.get(key, ()):
                        if sc.admin1_key(p["admin1"]) not in wanted or known(key, wanted) \
                                or known(skeleton_key(surface), wanted) \
                                or find_actors(surface, 0, len(surface), lex, None):
                            continue
                        found[p["source_id"]] = p
                        spellings[p["source_id"]].add(surface)
        for sid, p in found.items():
            votes[sid] += 1
            chosen[sid] = p
    # one pin a name: of namesake points in one governorate, UCDP's most eventful
    best: dict[str, str] = {}
    for sid, p in chosen.items():
        key = fold_key(p["name"].split(" (")[0])
        if key not in best or (votes[sid], int(p["event_count"] or 0)) > (
                votes[best[key]], int(chosen[best[key]]["event_count"] or 0)):
            best[key] = sid
    ranked = sorted(best.values(), key=lambda s: (-votes[s], chosen[s]["name"], s))[:PICK]
    out = []
    for sid in ranked:
        p = chosen[sid]
        admin1 = gov.names.get(sc.admin1_key(p["admin1"]), "")
        out.append({"name": p["name"], "latitude": float(p["latitude"]),
                    "longitude": float(p["longitude"]), "country": "SY", "admin1": admin1,
                    "alternates": sorted(spellings[sid] - {p["name"]}),
                    "articles": votes[sid]})
    return out


def _phrases(text: str, common: frozenset) -> set[str]:
    out = set()
    for pat in (_ARMED, _NAMED):
        for m in pat.finditer(text):
            words = m.group(0).split()
            while len(words) > 1 and (words[0].lower() in common or words[0].lower() in _ARTICLES):
                words = words[1:]  # "After Kurdish militia", "All aircraft": a sentence's first word
            if len(words) > 1:
                out.add(" ".join(words))
    return out


def pick_aliases(sc, rows: list[dict]) -> tuple[list[dict], list[str]]:
    """The 10 most used unread armed-group phrases an analyst maps to one actor, and the
    skipped ones (phrase: why)."""
    from eventwire.resources import load_actor_lexicon
    from eventwire.stages.actors import find_actors
    lex = load_actor_lexicon()
    common = frozenset(w.strip() for w in (ROOT / "eventwire/data/common_words.txt").open(
        encoding="utf-8") if w.strip() and not w.startswith("#"))
    judged = {j["phrase"].lower(): j for j in json.loads(ALIAS_TABLE.read_text("utf-8"))["phrases"]}
    usage: Counter = Counter()
    surface: dict[str, str] = {}
    for r in rows:
        for ph in _phrases(r["text"], common):
            hits = find_actors(ph, 0, len(ph), lex, None)
            if not any(h.start == 0 and h.end >= len(ph) for h in hits):
                usage[ph.lower()] += 1
                surface.setdefault(ph.lower(), ph)
    out, skipped, unjudged = [], [], []
    for low, n in sorted(usage.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(out) >= PICK:
            break
        j = judged.get(low)
        if j is None:
            unjudged.append(surface[low])
            continue
        if j["actor"] is None:
            skipped.append(f"{surface[low]} ({n}: {j['why']})")
            continue
        out.append({"alias": j.get("alias", surface[low]), "actor": j["actor"], "why": j["why"],
                    "articles": n})
    if unjudged:
        skipped.append(f"{len(unjudged)} phrase(s) the table does not judge, skipped: "
                       + ", ".join(unjudged[:5]) + (", ..." if len(unjudged) > 5 else ""))
    return out, skipped


def headroom(sc, gov: Governorates, rows: list[dict], before: Path) -> str:
    """How much corrections of names could fix at most: the misses whose article already
    names the gold governorate's places, or the gold actor, in words the packaged
    dictionaries read (then the fault is in choosing among them, not in a missing name)."""
    from eventwire.gazetteer import find_mentions, load_gazetteer
    from eventwire.resources import load_actor_lexicon
    from eventwire.stages.actors import find_actors
    gaz, lex = load_gazetteer(), load_actor_lexicon()
    mains = main_events(sc, before)
    c: Counter = Counter()
    for r in rows:
        ev = mains.get(str(r["id"]), {})
        wanted = gov.keys(r["labels"]["location"])
        if sc.admin1_key(ev.get("admin1") or "") not in wanted:
            c["admin1"] += 1
            c["admin1 named"] += any(p.cc == "SY" and sc.admin1_key(p.admin1) in wanted
                                     for m in find_mentions(r["text"], gaz) for p in m.candidates)
        gold = r["labels"]["actor"]
        if gold in sc.FAKES_ACTOR and not perpetrator_found(sc, gold, ev):
            c["actor"] += 1
            c["actor named"] += any(perpetrator_found(sc, gold, {"actor1": h.name})
                                    for h in find_actors(r["text"], 0, len(r["text"]), lex, "Syria"))
    return (f"headroom: of {c['admin1']} admin1 misses, {c['admin1 named']} name a place of the"
            f" gold governorate the gazetteer already reads; of {c['actor']} perpetrator misses,"
            f" {c['actor named']} name the gold actor in words the dictionary already reads")


# -- the server ---------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(eventwire: list[str], db: Path, env: dict) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen([*eventwire, "serve", "--db", str(db), "--port", str(port),
                             "--token", TOKEN], env=env, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/config", timeout=2):
                return proc, url
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("bench_corrections: eventwire serve did not start")


def post(url: str, body: dict) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def run(cmd: list[str], env: dict) -> None:
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True)
    if done.returncode not in (0, 1):  # 1: a document warned about (FA-KES has duplicate ids)
        raise SystemExit(f"bench_corrections: {' '.join(cmd[-4:])} failed:\n{done.stderr}")


def changed_events(before: Path, after: Path, pinned: set[str]) -> str:
    """What the corrections changed event by event (events keep their ids: same document,
    same sentence)."""
    def load(path):
        return {e["event_id"]: e for e in map(json.loads, open(path, encoding="utf-8"))}
    old, new = load(before), load(after)
    moved = sum(1 for k, e in new.items() if k in old and e.get("location") in pinned
                and old[k].get("location") != e.get("location"))
    region = sum(1 for k, e in new.items() if k in old and e.get("location") in pinned
                 and old[k].get("location") != e.get("location") and old[k].get("geo_precision") != 1)
    actors = sum(1 for k, e in new.items() if k in old and (e.get("actor1"), e.get("actor2"))
                 != (old[k].get("actor1"), old[k].get("actor2")))
    admin1 = sum(1 for k, e in new.items() if k in old and e.get("admin1") != old[k].get("admin1"))
    return (f"events: {len(old)} -> {len(new)}; {moved} now placed at a pinned village"
            f" ({region} of them were placed only at their region's seat before),"
            f" {admin1} changed admin1, {actors} changed actor1/actor2")


def _line(label: str, before: dict, after: dict) -> str:
    keys = ("admin1", "location_25km", "placed", "town_precision", "perpetrator",
            "fatalities_within_20pct")
    return f"{label} ({before['articles']} articles): " + ", ".join(
        f"{k} {before[k]} -> {after[k]}" for k in keys)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--places", type=Path, default=ROOT.parent / "shared" / "data" / "places")
    ap.add_argument("--pick-from", choices=("all", "A", "B"), default="all",
                    help="the fold the 10+10 are picked from (folds.py's halves of fakes)")
    ap.add_argument("--work", type=Path, help="keep the store, overlays and outputs here")
    ap.add_argument("--eventwire", default=str(ROOT / ".venv" / "bin" / "eventwire"))
    args = ap.parse_args(argv)
    sc = score_module(args.eval_dir)
    gold = args.eval_dir / "dev" / "fakes.dev.jsonl"
    rows = [json.loads(ln) for ln in open(gold, encoding="utf-8") if ln.strip()]
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-corrections-"))
    if work.exists() and args.work:
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "EVENTWIRE_GAZETTEER": str(work / "places.tsv"),
           "EVENTWIRE_ACTORS": str(work / "actors.jsonl")}
    env.pop("EVENTWIRE_CONFIG", None)
    exe = [args.eventwire] if os.path.exists(args.eventwire) else [
        sys.executable, "-c", "from eventwire.cli import main; main()"]
    docs = work / "in.jsonl"
    with open(os.devnull, "w") as quiet:  # write_inputs prints a line
        stdout, sys.stdout = sys.stdout, quiet
        try:
            sc.write_inputs("fakes", str(gold), str(docs))
        finally:
            sys.stdout = stdout
    gov = Governorates(sc)
    t0 = time.time()
    run([*exe, "ingest", str(docs), "--db", str(work / "fakes.sqlite")], env)
    run([*exe, "extract", str(docs), "--output", str(work / "before.jsonl")], env)
    picked = rows if args.pick_from == "all" else [
        r for r in rows if fold_of(str(r["id"])) == args.pick_from]
    villages = pick_villages(sc, gov, picked, args.places)
    aliases, skipped = pick_aliases(sc, picked)
    proc, url = serve(exe, work / "fakes.sqlite", env)
    try:
        for v in villages:
            post(url + "/places", {**{k: v[k] for k in ("name", "latitude", "longitude",
                                                        "country", "admin1", "alternates")},
                                   "reason": f"named by {v['articles']} FA-KES dev article(s),"
                                             " unknown to the gazetteer there; position"
                                             " from UCDP GED"})
        for a in aliases:
            post(url + "/actors/aliases", {"alias": a["alias"], "actor": a["actor"],
                                           "reason": f"{a['why']}; used by {a['articles']}"
                                                     " FA-KES dev article(s)"})
    finally:
        proc.terminate()
        proc.wait(10)
    run([*exe, "extract", str(docs), "--output", str(work / "after.jsonl")], env)
    print(f"picked from: {args.pick_from} (FA-KES dev, {len(picked)} articles)")
    print(headroom(sc, gov, rows, work / "before.jsonl"))
    print("villages pinned (POST /places): " + "; ".join(
        f"{v['name']} ({v['admin1']}, {v['articles']})" for v in villages))
    print("aliases added (POST /actors/aliases): " + "; ".join(
        f"{a['alias']} -> {a['actor']} ({a['articles']})" for a in aliases))
    print("phrases skipped (no single actor): " + "; ".join(skipped))
    folds = [("fakes dev", rows)] + [(f"half {h}", [r for r in rows if fold_of(str(r["id"])) == h])
                                     for h in ("A", "B")]
    for label, part in folds:
        print(_line(label, figures(sc, gov, part, work / "before.jsonl"),
                    figures(sc, gov, part, work / "after.jsonl")))
    print(changed_events(work / "before.jsonl", work / "after.jsonl",
                         {v["name"] for v in villages}))
    print(f"({time.time() - t0:.0f} s; store, overlays and outputs in {work})")


if __name__ == "__main__":
    main()
