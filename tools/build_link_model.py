#!/usr/bin/env python3
"""Build the same-incident pair set from the FA-KES dev articles and fit the linking model.

Writes two files:
- eval/link_pairs.jsonl: labelled article pairs, each with its fold and the linker's pair
  features (stages.link.pair_features) of the two articles' lede events;
- eventwire/data/link_model.json: a logistic regression on those features, fitted on fold A
  only, with its threshold and its scores on both folds (B is the held-out fold).

Clusters. FA-KES crowd-codes each article's incident: its day, governorate and cause of
death. Articles sharing all three are one cluster. Crowd codes are noisy, so two sources
read from the texts take precedence, in this order: the hand-verified incident clusters of
eval/link_clusters.jsonl (an incident cluster also absorbs the unread articles sharing its
articles' codes), then eval/link_audit.jsonl, where each article read gives the incident
its text tells, with that incident's day and governorate (an article telling no single
incident, or one whose text does not decide it, is left out), then the hand-verified
hard negatives (a cluster of their own each). Every article is a cluster, a lone one
included.

Pairs. Every pair of one cluster is a positive. Hard negatives are pairs of different
clusters that share the place but not the day (2 to 7 days apart by crowd codes, whose
one-day gaps are within the coders' dating error; 1 to 7 when both days were read from
the texts: the audit's, or the day a hand-verified cluster's description opens with) or the day but not the place, and, when both articles were read, the day and
the place (two incidents of one town on one day); and the pairs eval/link_audit.jsonl reads
as two incidents among those the linker's blocking compares (same country and family,
within its days, compatible governorates) that no rule above makes a hard negative.
Each pair says what its label rests on (`verified`): the texts read, a hand-verified
cluster, or crowd codes only.
Other pairs are never compared by the linker (its block spans a few days of one country)
and are left out. Folds: `folds.py fakes`'s halves (a hash of the article id); a pair
belongs to a fold when both its articles do, and pairs across the folds are left out.

Features are those of the pipeline's own extraction (the linker sees nothing else). A pair
the linker's rules veto (dates or places incompatible) is kept, with its veto, but not fitted.

Usage: .venv/bin/python tools/build_link_model.py [fakes.dev.jsonl] [--extracted CACHE]
Then: .venv/bin/python tools/build_manifest.py
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import math
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eventwire.stages.link_model import FEATURES, LinkModel, fit_logistic  # noqa: E402
from eventwire.stages.link import LinkSettings, pair_features, pair_merges  # noqa: E402

FAKES = ROOT.parent / "shared" / "eval" / "dev" / "fakes.dev.jsonl"
CLUSTERS = ROOT / "eval" / "link_clusters.jsonl"
AUDIT = ROOT / "eval" / "link_audit.jsonl"
PAIRS = ROOT / "eval" / "link_pairs.jsonl"
MODEL = ROOT / "eventwire" / "data" / "link_model.json"
HARD_NEGATIVE_DAYS = 7
# Crowd coders date a night raid by the morning report, and some FA-KES days are off by one:
# a one-day gap is no evidence of two incidents.
MIN_GAP_DAYS = 2
L2 = 1.0  # chosen by leave-one-cluster-out log-loss on fold A (1: 0.286, 5: 0.309, 20: 0.303, 100: 0.296)
# The prior the fit starts from and is pulled towards: the linker's hand-set rule
# (stages.link.LinkSettings' weights and threshold, what the store decided with before the
# model), as logits at PRIOR_SCALE per unit of weighted score, even odds at its threshold. Fold A holds few pairs the vetoes leave
# undecided (most hard negatives are vetoed), too few to set eight weights from nothing;
# the data moves a weight only as far as it has evidence to.
PRIOR_SCALE = 20.0
# The decision threshold: the calibrated model merges a pair more likely one incident than
# not. (Fold A's pairs leave a wide range of thresholds scoring alike; a threshold picked
# from that range would rest on the few pairs at its edges.)
THRESHOLD = 0.5


def half(article_id: str) -> str:
    """folds.py's fixed halves of the fakes set."""
    return "A" if int(hashlib.sha256(("fold:" + article_id).encode()).hexdigest(), 16) % 2 == 0 else "B"


def label_day(labels: dict):
    try:
        return dt.datetime.strptime(labels["date"], "%m/%d/%y").date()
    except (KeyError, ValueError):
        return None


def read_audit(path: pathlib.Path = AUDIT) -> dict[str, dict]:
    """Article id -> its read incident (eval/link_audit.jsonl: incident, date, place, read)."""
    return {row["id"]: row for row in map(json.loads, path.read_text("utf-8").splitlines()[1:]) if "id" in row}


def read_pair_labels(path: pathlib.Path = AUDIT) -> dict[tuple[str, str], dict]:
    """(a, b) -> a pair read as one incident or two (eval/link_audit.jsonl's "pair" lines):
    pairs the linker's blocking compares that no crowd-code rule makes a hard negative."""
    rows = [row for row in map(json.loads, path.read_text("utf-8").splitlines()[1:]) if "pair" in row]
    return {tuple(sorted(row["pair"])): row for row in rows}


def _hand(hand_path: pathlib.Path) -> tuple[dict[str, str], dict[str, str], dict[str, dt.date]]:
    """The hand-verified clusters: article -> incident cluster, article -> its hard-negative id,
    and article -> the day its cluster's description gives ("2016-10-06 IS suicide bombing ...")."""
    incident, negative, day = {}, {}, {}
    for line in hand_path.read_text("utf-8").splitlines()[1:]:
        row = json.loads(line)
        told = re.match(r"(\d{4}-\d{2}-\d{2})\b(?!/)", row["incident"])
        for art in row["articles"]:
            (incident if row["kind"] == "incident" else negative)[art["id"]] = row["cluster"]
            if told:
                day[art["id"]] = dt.date.fromisoformat(told.group(1))
    return incident, negative, day


def clusters(rows: list[dict], hand_path: pathlib.Path = CLUSTERS,
             audit: dict[str, dict] | None = None) -> dict[str, str | None]:
    """Article id -> cluster id, or None for an article left out (see the module docstring)."""
    audit = read_audit() if audit is None else audit
    code = {r["id"]: (label_day(r["labels"]), r["labels"].get("location"),
                      r["labels"].get("cause_of_death")) for r in rows}
    incident, negative, _ = _hand(hand_path)
    out: dict[str, str | None] = {}
    hand_codes: dict[tuple, str] = {}
    for aid, cid in incident.items():
        if aid in code:
            out[aid] = cid
            hand_codes.setdefault(code[aid], cid)
    for aid, row in audit.items():
        if aid in code and aid not in out:
            out[aid] = row["incident"]
    for aid in negative:
        if aid in code and aid not in out:
            out[aid] = "alone:" + aid
    for aid, c in code.items():
        if aid not in out:
            out[aid] = hand_codes.get(c) or ("alone:" + aid if c[0] is None
                                             else f"{c[0]}|{c[1]}|{c[2]}")
    return out


def labelled_pairs(rows: list[dict], cluster: dict[str, str | None],
                   audit: dict[str, dict] | None = None, hand_path: pathlib.Path = CLUSTERS,
                   pair_labels: dict[tuple[str, str], dict] | None = None) -> list[dict]:
    audit = read_audit() if audit is None else audit
    pair_labels = read_pair_labels() if pair_labels is None else pair_labels
    incident, _, hand_day = _hand(hand_path)
    day = {r["id"]: label_day(r["labels"]) for r in rows}
    place = {r["id"]: r["labels"].get("location") for r in rows}
    day.update((aid, d) for aid, d in hand_day.items() if aid in day)
    for aid, row in audit.items():
        if aid in day and row["incident"] is not None:
            day[aid], place[aid] = dt.date.fromisoformat(row["date"]), row["place"]
    out = []
    for a, b in itertools.combinations(sorted(aid for aid, c in cluster.items() if c is not None), 2):
        fold = half(a) if half(a) == half(b) else None
        if fold is None:
            continue
        read = all(x in audit or x in hand_day for x in (a, b))  # both days read, not coded
        gap = abs((day[a] - day[b]).days) if day[a] and day[b] else None
        if cluster[a] == cluster[b]:
            kind = "same incident"
        elif gap is not None and place[a] == place[b] and (1 if read else MIN_GAP_DAYS) <= gap <= HARD_NEGATIVE_DAYS:
            kind = "hard negative: same place, another day"
        elif gap == 0 and place[a] != place[b]:
            kind = "hard negative: same day, another place"
        elif gap == 0 and read:
            kind = "hard negative: same day and place, another incident"
        elif (a, b) in pair_labels:
            kind = "hard negative: compared by the linker, another incident"
        else:
            continue
        verified = _verified(a, b, audit, incident)
        if (a, b) in pair_labels:
            label = pair_labels[(a, b)]
            if label["same"] != (cluster[a] == cluster[b]):
                raise SystemExit(f"eval/link_audit.jsonl: the pair {a} {b} is read as same={label['same']}, "
                                 "but its articles' clusters say otherwise")
            verified = f"read: {label['read']}"
        out.append({"a": a, "b": b, "same": cluster[a] == cluster[b], "kind": kind, "fold": fold,
                     "verified": verified})
    return out


def _verified(a: str, b: str, audit: dict[str, dict], incident: dict[str, str]) -> str:
    """What a pair's label rests on: the two texts read, hand-verified clusters, or crowd codes."""
    def basis(aid: str) -> str:
        if aid in incident:
            return f"hand-verified cluster {incident[aid]}"
        if aid in audit:
            return f"read: {audit[aid]['read']}"
        return "crowd codes (day, governorate, cause)"
    return f"{basis(a)} | {basis(b)}"


def lede_events(rows: list[dict], cache: pathlib.Path | None) -> dict:
    """Each article's first extracted event (its lede incident), by the real pipeline."""
    from eventwire.records import Event
    if cache is not None and cache.exists():
        return {k: Event.from_record(v) for k, v in json.loads(cache.read_text("utf-8")).items()}
    from eventwire.pipeline import extract
    from eventwire.records import Article
    from eventwire.resources import load_resources
    resources = load_resources()
    out = {}
    for r in rows:
        published = dt.date.fromisoformat(r["date"]) if r.get("date") else None
        article = Article(r["id"], r["text"], title=r.get("title"), outlet=r.get("source"),
                          published=published)
        events = [e for e in extract([article], resources) if isinstance(e, Event)]
        if events:
            out[r["id"]] = events[0]
    if cache is not None:
        cache.write_text(json.dumps({k: v.to_record() for k, v in out.items()}), "utf-8")
    return out


def score(decide, pairs: list[dict]) -> dict:
    """Pair scores of a decision (a LinkModel, or the hand rule's LinkSettings) on a fold."""
    tp = fp = fn = hard_linked = 0
    settings = decide if isinstance(decide, LinkSettings) else LinkSettings(model=decide)
    for p in pairs:
        linked = pair_merges(p["features"], settings)
        tp += linked and p["same"]
        fp += linked and not p["same"]
        fn += p["same"] and not linked
        hard_linked += linked and p["kind"].startswith("hard")
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    return {"pairs": len(pairs), "positives": sum(p["same"] for p in pairs),
            "hard_negatives": sum(p["kind"].startswith("hard") for p in pairs),
            "precision": round(prec, 3), "recall": round(rec, 3), "hard_negatives_linked": hard_linked}


def build(rows: list[dict], cache: pathlib.Path | None = None) -> tuple[dict, list[dict], dict]:
    """The pair set's header, its labelled pairs with their features, and the fitted model's
    JSON, from the FA-KES dev rows (what main writes; the freshness test rebuilds them)."""
    audit = read_audit()
    cluster = clusters(rows, CLUSTERS, audit)
    pairs = labelled_pairs(rows, cluster, audit)
    ledes = lede_events(rows, cache)
    settings = LinkSettings()
    kept = []
    for p in pairs:
        if p["a"] in ledes and p["b"] in ledes:
            f = pair_features(ledes[p["a"]], ledes[p["b"]], settings)
            p["features"] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in f.items()}
        else:
            p["features"] = {"veto": "no event extracted"}
        kept.append(p)
    header = {"source": "FA-KES dev half (Abu Salem et al. 2019), Zenodo 2607278",
              "licence": "CC BY 4.0", "built_by": "tools/build_link_model.py",
              "clusters": len(set(cluster.values()) - {None}),
              "note": "clusters from FA-KES's crowd codes (day, governorate, cause), the hand-verified "
                      "eval/link_clusters.jsonl and the articles read in eval/link_audit.jsonl"}
    model = train(kept)
    model_json = model.to_json()
    model_json["trained_on"] = {"pairs": "eval/link_pairs.jsonl", "fold": "A", "held_out": "B",
                                "l2": L2, "prior": "LinkSettings weights x %g, bias -%g x its threshold"
                                % (PRIOR_SCALE, PRIOR_SCALE),
                                "clusters": len(set(cluster.values()) - {None})}
    model_json["scores"] = {fold: score(model, [p for p in kept if p["fold"] == fold]) for fold in "AB"}
    model_json["rule_scores"] = {fold: score(settings, [p for p in kept if p["fold"] == fold]) for fold in "AB"}
    model_json["decides"] = beats_the_rule(model_json["scores"]["B"], model_json["rule_scores"]["B"])
    return header, kept, model_json


def beats_the_rule(model: dict, rule: dict) -> bool:
    """The model becomes the store's decision only when, on the held-out fold, it is at least as
    precise and finds at least as many true pairs as the hand rule it was started from: a fit
    that does worse out of sample is not kept, however well it does on the fold it saw."""
    return model["precision"] >= rule["precision"] and model["recall"] >= rule["recall"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("fakes", nargs="?", default=str(FAKES))
    ap.add_argument("--extracted", help="cache of the lede events (re-used on later runs)")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.fakes, encoding="utf-8")]
    header, kept, model_json = build(rows, pathlib.Path(args.extracted) if args.extracted else None)
    with PAIRS.open("w", encoding="utf-8") as out:
        out.write(json.dumps(header) + "\n")
        for p in kept:
            out.write(json.dumps(p, sort_keys=True) + "\n")
    MODEL.write_text(json.dumps(model_json, indent=1, sort_keys=True) + "\n", "utf-8")
    json.dump(model_json["scores"], sys.stdout, indent=1)
    print()


def prior_weights(settings: LinkSettings = LinkSettings()) -> list[float]:
    """The hand-set weights of the linker's weighted score, in the model's feature order."""
    return [PRIOR_SCALE * getattr(settings, "w_" + k) for k in FEATURES]


def train(pairs: list[dict]) -> LinkModel:
    """Fit on fold A's comparable pairs (deterministic: Newton steps from the prior)."""
    fit = [p for p in pairs if p["fold"] == "A" and "veto" not in p["features"]]
    xs = [[p["features"][k] for k in FEATURES] for p in fit]
    ys = [1.0 if p["same"] else 0.0 for p in fit]
    weights, bias = fit_logistic(xs, ys, L2, prior=prior_weights(),
                                 prior_bias=-PRIOR_SCALE * LinkSettings().threshold)
    return LinkModel(FEATURES, weights, bias, THRESHOLD)


if __name__ == "__main__":
    main()
