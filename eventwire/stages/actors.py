"""Actors stage: find the armed groups, state forces, civilians and crowds named in a text span.

Each mention gets its ACLED-style name and actor-type code (1 state forces ... 8 external
forces). Matching is a token trie over the aliases in data/actors.jsonl, leftmost-longest, so
"Free Syrian Army" wins over "Syrian army". Generic actors ("police", "gunmen", "civilians")
take the incident's country; wording that stands for a group named earlier ("militants",
Hawar's "mercenaries") resolves to the last named group before it.
"""
from __future__ import annotations

import gc
import json
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from typing import Callable, Optional

from ..records import ActorMention

__all__ = ["ActorLexicon", "compile_actor_lexicon", "find_actors", "home_countries", "civilian_like", "as_people"]

_TOKEN = re.compile(r"[^\W_]+|[^\w\s]")
_PAYLOAD = ""  # trie key holding the aliases that end at a node (tokens are never empty)
_LOOKBACK = 2000  # characters searched for the group an anaphor ("militants") stands for
_ANAPHORS = {"anaphor", "anaphor_rebel", "anaphor_militia"}
_NO_TRAILER = {"civilians", "people", "protesters", "rioters", "unidentified"} | _ANAPHORS


def _fold_table() -> dict[int, str]:
    """Length-preserving fold: accents to ASCII, curly quotes to ', dashes to -."""
    table = {ord(c): "'" for c in "’‘`´ʻʼ′"}
    table.update({ord(c): "-" for c in "‐‑‒–—―"})
    for cp in range(0xC0, 0x250):
        base = unicodedata.normalize("NFKD", chr(cp))[:1]
        if base.isascii() and base.isalpha() and base != chr(cp):
            table[cp] = base
    return table


_FOLD = _fold_table()


@dataclass(frozen=True, slots=True)
class _Entry:
    """One dictionary actor, as compiled for matching."""

    id: str
    name: str
    inter: int
    country: Optional[str]
    kind: str
    by_country: dict
    default_none: bool
    default_country: Optional[str]
    absorbs: frozenset  # ids of the actors coded by this operation's name when it is named


@dataclass(frozen=True, slots=True)
class _Hit:
    """A raw match before names are resolved: token span and entry."""

    start: int
    end: int
    entry: _Entry


@dataclass(frozen=True)
class ActorLexicon:
    """The compiled actor dictionary: token trie, entries and country-name tables."""

    trie: dict
    countries: dict  # folded country name -> ACLED country name
    state_names: dict  # (ACLED country, "Military"|"Police") -> ACLED state-force name
    inter_by_name: dict  # ACLED name (or template stem) -> inter code
    country_trie: dict  # tokens of country names and adjectives -> ACLED country name
    state_entries: dict  # (ACLED country, "Military"|"Police") -> _Entry
    records: dict = field(default_factory=dict)  # actor id -> its dictionary record
    operations: dict = field(default_factory=dict)  # id of an umbrella operation -> its _Entry
    # the words pack (data/lang/en/actors.json): words that extend a group's mention ("ISIS
    # mercenaries", "SDF fighters") instead of starting a second, generic one, a shorter list
    # for state forces, and acronyms that are English words, skipped inside ALL-CAPS headlines
    group_trailers: frozenset = frozenset()
    state_trailers: frozenset = frozenset()
    wordlike: frozenset = frozenset()
    role_words: object = None  # roles.RoleWords: who acted and who was hit (data/lang/en/roles.json)
    # words naming a group as the claimant of the report's act ("Nusra Front claimed", "claimed by HTS")
    claimant_after: re.Pattern = re.compile(r"(?!)")
    claimant_before: re.Pattern = re.compile(r"(?!)")


def compile_actor_lexicon(text: str, words: Optional[dict] = None, role_words: object = None) -> ActorLexicon:
    """Compile the actor dictionary from its JSONL text (resources.load_actor_lexicon reads it:
    data/actors.jsonl, then the analysts' overlay, whose records repeating an id add aliases),
    with the words pack around actor names (data/lang/en/actors.json) and the roles' words.

    Returns:
        the compiled ActorLexicon.
    """
    # The trie is ~100k small dicts: cyclic GC passes while building it would double the
    # load time, and nothing built here can form a cycle.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        lexicon = _compile(text)
    finally:
        if was_enabled:
            gc.enable()
    words = words or {}
    return replace(lexicon, group_trailers=frozenset(e["word"] for e in words.get("group_trailers", ())),
                   state_trailers=frozenset(e["word"] for e in words.get("state_trailers", ())),
                   wordlike=frozenset(e["word"] for e in words.get("wordlike_acronyms", ())), role_words=role_words,
                   claimant_after=re.compile(rf"^[^.;]{{0,20}}?\b(?:{_alternation(words, 'claimant_after')})\b", re.I),
                   claimant_before=re.compile(rf"\b(?:{_alternation(words, 'claimant_before')})\s+(?:the\s+)?$", re.I))


def _alternation(words: dict, use: str) -> str:
    found = sorted((re.escape(e["word"]) for e in words.get(use, ())), key=len, reverse=True)
    return "|".join(found) or "(?!)"


def _compile(text: str) -> ActorLexicon:
    lex = ActorLexicon({}, {}, {}, {}, {}, {})
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.strip():
            rec = _parse(line, lineno)
            entry = _entry(rec)
            _index_names(rec, entry, lex)
            _insert_all(lex.trie, rec["aliases"], entry, set(rec.get("cased", ())))
            lex.records.setdefault(rec["id"], rec)
    return lex


def _parse(line: str, lineno: int) -> dict:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"actors.jsonl line {lineno}: not JSON: {exc}") from exc
    if not {"id", "name", "inter", "aliases"} <= rec.keys():
        raise ValueError(f"actors.jsonl line {lineno}: needs id, name, inter and aliases")
    return rec


def _entry(rec: dict) -> _Entry:
    return _Entry(rec["id"], rec["name"], int(rec["inter"]), rec.get("country"),
                  rec.get("kind", "group"), rec.get("by_country") or {},
                  bool(rec.get("default_none")), rec.get("default_country"),
                  frozenset(rec.get("absorbs", ())))


def _index_names(rec: dict, entry: _Entry, lex: ActorLexicon) -> None:
    if entry.absorbs:
        lex.operations[entry.id] = entry
    if entry.country:
        lex.countries.setdefault(_fold_key(entry.country), entry.country)
    for alt in rec.get("country_names", ()):
        lex.countries.setdefault(_fold_key(alt), entry.country)
    if entry.id.startswith(("military_", "police_")) and entry.country:
        kind = entry.name.split()[0]
        lex.state_names[(entry.country, kind)] = entry.name
        lex.state_entries[(entry.country, kind)] = entry
        for name in [entry.country] + rec.get("country_names", []) + rec.get("country_adjs", []):
            _insert_all(lex.country_trie, [name], entry.country, set())
    lex.inter_by_name.setdefault(entry.name.split(" ({country})")[0], entry.inter)


def _fold_key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.translate(_FOLD).lower())


_PLAIN = re.compile(r"[A-Za-z0-9 ]+")


def _tokens(text: str) -> list[str]:
    """Alias tokens: the same split the matcher applies to text, hyphens dropped."""
    if _PLAIN.fullmatch(text):
        return text.split()  # fast path for most aliases: letters and spaces only
    if not text.isascii():
        text = text.translate(_FOLD)
    return [t for t in _TOKEN.findall(text) if t != "-"]


def _insert_all(trie: dict, aliases: list[str], entry, cased: set[str]) -> None:
    """Add an entry's aliases to the trie (a hot loop at load: kept flat on purpose)."""
    for alias in aliases:
        toks = _tokens(alias)
        if not toks:
            continue
        node = trie
        for tok in toks:
            nxt = node.get(tok.lower())
            if nxt is None:
                nxt = node[tok.lower()] = {}
            node = nxt
        exact = tuple(toks) if alias in cased or _is_acronym(alias) else None
        payload = node.get(_PAYLOAD)
        if payload is None:
            node[_PAYLOAD] = [(entry, exact)]
        else:
            payload.append((entry, exact))


def _is_acronym(alias: str) -> bool:
    """Single-word aliases with two or more capitals ("IS", "SDF", "FAMa") match case-exactly."""
    return " " not in alias and sum(c.isupper() for c in alias) >= 2


# told of a name set aside: (span, code, detail), the caller records it as a Dropped
Drop = Callable[[tuple[int, int], str, str], None]


def find_actors(text: str, start: int, end: int, lexicon: ActorLexicon,
                country: str | None, drop: Optional[Drop] = None) -> list[ActorMention]:
    """Every actor mention inside text[start:end], in text order, longest match first.

    Args:
        text: the whole article text (earlier text resolves "militants" and the like).
        start, end: the span to search (absolute offsets into text).
        lexicon: from resources.load_actor_lexicon().
        country: the incident's country, used for generic actors; may be None.
        drop: told of each dictionary name in the span that is no actor in this country.
    Returns:
        ActorMention records with absolute offsets.
    """
    country = _canonical_country(country, lexicon)
    hits = _scan(text, start, end, lexicon)
    context: list[ActorMention] = []
    if any(h.entry.kind in _ANAPHORS for h in hits):
        lb = max(0, start - _LOOKBACK)
        prior = _scan(text, lb, start, lexicon)
        # a generic word that took the country's default names no group a later one could stand for
        context = [m for m in _resolve_all(text, prior, lexicon, country, [])
                   if lexicon.records.get(m.actor_id, {}).get("kind") not in _ANAPHORS]
    following: list[ActorMention] = []
    if any(h.entry.kind in _ANAPHORS and _antecedent(context, h.entry.kind) is None for h in hits):
        # a generic word with no group named before it ("a terrorist bombing" in a headline)
        # stands for the group the report names as claiming the act ("Nusra Front claimed responsibility")
        ahead = [h for h in _scan(text, end, len(text), lexicon) if h.entry.kind not in _ANAPHORS]
        following = list(reversed([m for m in _resolve_all(text, ahead, lexicon, country, [])
                                   if lexicon.claimant_after.match(text[m.end:m.end + 40])
                                   or lexicon.claimant_before.search(text[max(0, m.start - 30):m.start])]))
    return _under_operation(_resolve_all(text, hits, lexicon, country, context, drop, following), lexicon)


def _under_operation(mentions: list[ActorMention], lexicon: ActorLexicon) -> list[ActorMention]:
    """'Turkish-backed factions operating under Operation Peace Spring': ACLED codes the forces
    of a named umbrella operation by the operation's name."""
    ops = [m for m in mentions if m.actor_id in lexicon.operations]
    if not ops:
        return mentions
    op = lexicon.operations[ops[0].actor_id]
    name, inter = ops[0].name, ops[0].inter
    return [replace(m, name=name, inter=inter) if m.actor_id in op.absorbs else m for m in mentions]


# rebels, political and identity militias: groups that fight where they come from
_LOCAL_INTERS = frozenset({2, 3, 4})


def home_countries(text: str, lexicon: ActorLexicon) -> tuple[str, ...]:
    """ACLED country names of the local armed groups named in text (the Taliban: Afghanistan),
    in order of first mention; state forces and generic words ("militants") are left out,
    since armies and foreign forces fight abroad."""
    found = [h.entry.country for h in _scan(text, 0, len(text), lexicon)
             if h.entry.country and h.entry.inter in _LOCAL_INTERS and h.entry.kind != "state"]
    return tuple(dict.fromkeys(found))


def _canonical_country(country: str | None, lexicon: ActorLexicon) -> str | None:
    if not country:
        return None
    return lexicon.countries.get(_fold_key(country), country)


def _tokenize(text: str, start: int, end: int) -> tuple[list[tuple[int, int, str]], list[str]]:
    """The tokens of text[start:end] with absolute offsets, and each lower-cased."""
    folded = text[start:end].translate(_FOLD)
    toks = [(m.start() + start, m.end() + start, m.group()) for m in _TOKEN.finditer(folded)
            if m.group() != "-"]
    return toks, [t[2].lower() for t in toks]


def _span_tokens(text: str, start: int, end: int) -> tuple[list[tuple[int, int, str]], list[str]]:
    """_tokenize(text, start, end), cut from the whole text's tokens, kept for its last few
    texts (an article is scanned whole for its actors' homes, then span by span): the span's
    own tokens are the whole text's that lie inside it, unless one runs across its edge."""
    whole = _WHOLE.get(text)
    if whole is None:
        if len(_WHOLE) >= _WHOLE_MAX:
            _WHOLE.clear()
        toks, low = _tokenize(text, 0, len(text))
        whole = _WHOLE[text] = (toks, low, [t[0] for t in toks])
    toks, low, starts = whole
    i, j = bisect_left(starts, start), bisect_left(starts, end)
    if (i and toks[i - 1][1] > start) or (j and toks[j - 1][1] > end):
        return _tokenize(text, start, end)  # a word cut by the span's edge
    return toks[i:j], low[i:j]


_WHOLE: dict[str, tuple[list[tuple[int, int, str]], list[str], list[int]]] = {}
_WHOLE_MAX = 4


def _scan(text: str, start: int, end: int, lexicon: ActorLexicon) -> list[_Hit]:
    """Leftmost-longest dictionary matches over the tokens of text[start:end]."""
    toks, low = _span_tokens(text, start, end)
    trie = lexicon.trie
    hits: list[_Hit] = []
    i = 0
    while i < len(toks):
        # most words start no name: skip them before walking the trie
        best = _longest(trie, toks, low, i, lexicon.wordlike) if low[i] in trie else None
        if best is None:
            i += 1
            continue
        j, entry = best
        j = _absorb_trailers(low, j, entry, lexicon)
        j = _absorb_gloss(trie, toks, low, j, entry, lexicon.wordlike)
        hits.extend(_coordinated_before(lexicon, toks, low, i, entry))
        hits.append(_Hit(toks[i][0], toks[j - 1][1], entry))
        after = _coordinated_after(lexicon, toks, low, j, entry)
        hits.extend(after)
        i = _token_after(toks, after[-1].end) if after else j
    return hits


def _state_kind(entry: _Entry) -> str | None:
    if entry.kind != "state" or not entry.country:
        return None
    return entry.name.split()[0] if entry.name.startswith(("Military", "Police")) else None


def _coordinated_after(lexicon: ActorLexicon, toks: list, low: list[str], j: int,
                       entry: _Entry) -> list[_Hit]:
    """'military forces of India and Pakistan': the second country's forces too."""
    kind = _state_kind(entry)
    if kind is None or j + 1 >= len(low) or low[j] not in ("and", "&"):
        return []
    found = _longest(lexicon.country_trie, toks, low, j + 1, lexicon.wordlike)
    if found is None or (found[1], kind) not in lexicon.state_entries:
        return []
    return [_Hit(toks[j + 1][0], toks[found[0] - 1][1], lexicon.state_entries[(found[1], kind)])]


def _coordinated_before(lexicon: ActorLexicon, toks: list, low: list[str], i: int,
                        entry: _Entry) -> list[_Hit]:
    """'Indian and Pakistani troops': the first adjective's forces too."""
    kind = _state_kind(entry)
    if kind is None or i < 2 or low[i - 1] not in ("and", "&"):
        return []
    for k in (i - 2, i - 3):
        found = _longest(lexicon.country_trie, toks, low, k, lexicon.wordlike) if k >= 0 else None
        if found is not None and found[0] == i - 1 and (found[1], kind) in lexicon.state_entries:
            return [_Hit(toks[k][0], toks[i - 2][1], lexicon.state_entries[(found[1], kind)])]
    return []


def _token_after(toks: list, char_end: int) -> int:
    return next((n for n, t in enumerate(toks) if t[0] >= char_end), len(toks))


def _absorb_gloss(trie: dict, toks: list, low: list[str], j: int, entry: _Entry, wordlike: frozenset) -> int:
    """Take in a bracketed short form of the same actor: "Syrian Democratic Forces (SDF)"."""
    if j + 2 < len(low) and low[j] == "(":
        inner = _longest(trie, toks, low, j + 1, wordlike)
        if inner is not None and inner[0] < len(low) and low[inner[0]] == ")" and (
                inner[1].name == entry.name):
            return inner[0] + 1
    return j


def _longest(trie: dict, toks: list, low: list[str], i: int, wordlike: frozenset) -> tuple[int, _Entry] | None:
    node, best = trie, None
    for j in range(i, len(low)):
        node = node.get(low[j])
        if node is None:
            break
        for entry, exact in node.get(_PAYLOAD, ()):
            if _cased_ok(exact, toks, i, j, wordlike):
                best = (j + 1, entry)
                break
    return best


def _cased_ok(exact: tuple | None, toks: list, i: int, j: int, wordlike: frozenset) -> bool:
    if exact is None:
        return True
    if tuple(t[2] for t in toks[i:j + 1]) != exact:
        return False
    if exact[0].lower() in wordlike and len(exact) == 1:
        return not _in_caps_run(toks, i)
    return True


def _in_caps_run(toks: list, i: int) -> bool:
    """True when the neighbouring words are ALL-CAPS too (a headline), not an acronym."""
    near = [toks[k][2] for k in (i - 1, i + 1) if 0 <= k < len(toks) and toks[k][2].isalpha()]
    return bool(near) and all(w.isupper() and len(w) > 1 for w in near)


def _absorb_trailers(low: list[str], j: int, entry: _Entry, lexicon: ActorLexicon) -> int:
    if entry.kind in _NO_TRAILER:
        return j
    allowed = lexicon.state_trailers if entry.kind == "state" else lexicon.group_trailers
    for _ in range(2):
        if j < len(low) and low[j] in allowed:
            j += 1
    return j


def _resolve_all(text: str, hits: list[_Hit], lexicon: ActorLexicon, country: str | None,
                 context: list[ActorMention], drop: Optional[Drop] = None,
                 following: Optional[list[ActorMention]] = None) -> list[ActorMention]:
    """Name every hit; anaphors take the last named group seen so far (context first), else the
    first one named after the span (`following`, nearest last)."""
    out: list[ActorMention] = []
    seen = list(context)
    for hit in hits:
        mention = _resolve(text, hit, lexicon, country, seen, following or [])
        if mention is not None:
            out.append(mention)
            seen.append(mention)
        elif drop is not None:
            drop((hit.start, hit.end), "actor-not-coded",
                 f"'{text[hit.start:hit.end]}' is the dictionary's {hit.entry.name}, which ACLED does not code "
                 f"as an actor in {country or 'a story of no known country'}")
    return out


def _resolve(text: str, hit: _Hit, lexicon: ActorLexicon, country: str | None,
             seen: list[ActorMention], following: list[ActorMention]) -> ActorMention | None:
    entry = hit.entry
    surface = text[hit.start:hit.end]
    if entry.kind in _ANAPHORS:
        antecedent = _antecedent(seen, entry.kind) or _antecedent(following, entry.kind)
        if antecedent is not None:
            return ActorMention(antecedent.name, antecedent.inter, hit.start, hit.end, surface,
                                antecedent.actor_id)
    named = _name_for(entry, country, lexicon)
    if named is None:
        return None
    name, inter = named
    return ActorMention(name, inter, hit.start, hit.end, surface, entry.id)


def _antecedent(seen: list[ActorMention], kind: str) -> ActorMention | None:
    """The last named non-state group before an anaphor; "rebels" never means ISIS, and
    "militia" means a militia (inter 3 or 4)."""
    allowed = (3, 4) if kind == "anaphor_militia" else (2, 3, 4)
    for m in reversed(seen):
        if m.inter not in allowed or m.name.startswith(("Unidentified", "Civilians")):
            continue
        if kind == "anaphor_rebel" and m.name.startswith("Islamic State"):
            continue
        return m
    return None


def _name_for(entry: _Entry, country: str | None, lexicon: ActorLexicon) -> tuple[str, int] | None:
    """The entry's ACLED name and inter code for an incident in `country` (None: suppressed)."""
    if country is not None and country in entry.by_country:
        name = entry.by_country[country]
        if name is None:
            return None
        inter = lexicon.inter_by_name.get(name) or lexicon.inter_by_name.get(
            name.split(" (")[0], entry.inter)
        return name, inter
    if country is not None and entry.default_none:
        return None
    name = _fill(entry.name, country or entry.default_country, lexicon)
    inter = entry.inter
    if inter == 1 and entry.country and country and entry.country != country:
        inter = 8  # a state's forces acting abroad are external forces in ACLED
    return name, inter


def _fill(template: str, country: str | None, lexicon: ActorLexicon) -> str:
    if "{country}" not in template:
        return template
    if template.endswith(" of {country}"):
        kind = template.split()[0]
        if country is None:
            return f"{kind} Forces"
        return lexicon.state_names.get((country, kind), template.replace("{country}", country))
    if country is None:
        return template.replace(" ({country})", "").replace("{country}", "").strip()
    return template.replace("{country}", country)


def civilian_like(mention: ActorMention) -> bool:
    """True for unarmed people (civilians, crowds, occupational groups) as opposed to forces."""
    return mention.inter in (6, 7)


def as_people(mention: ActorMention, role: str, country: str | None) -> ActorMention:
    """Recast a civilian-like mention as "civilians", "protesters" or "rioters" of `country`.

    The dictionary cannot tell "students" who march from "students" who are shot; the
    extractor, knowing the event type, can.
    """
    label, inter = {"civilians": ("Civilians", 7), "protesters": ("Protesters", 6),
                    "rioters": ("Rioters", 5)}[role]
    name = f"{label} ({country})" if country else label
    return replace(mention, name=name, inter=inter)
