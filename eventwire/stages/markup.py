"""Defuse hostile or careless markup before the HTML parser sees it, in one linear pass each.

libxml2 (under lxml and trafilatura) drops a page whose elements nest deeper than its limit
(about 256), or whose attribute value passes 10 MB, and spends seconds on a megabyte-long
script; an internal DTD subset is how "billion laughs" entity bombs are declared, and HTML
never needs one. So: the subset goes, over-long scripts and styles lose their code (a short
JSON-LD block, where pages state their date and author, stays), over-long tags lose their
attributes, and elements nested past the limit are unwrapped, keeping their text and
paragraph breaks. Every scan stops at the next '<' or '>', so no input makes it quadratic.
"""
from __future__ import annotations

import re

MAX_DEPTH = 200  # under libxml2's 256, with room for the wrappers html/body add
MAX_CODE_CHARS = 65536  # a script or style longer than this is never read for metadata
MAX_TAG_CHARS = 4096  # attributes past this carry data blobs, never article text

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,40})([^<>]*)>")
_LONG_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9:-]{0,40})[^<>]{%d,}>" % MAX_TAG_CHARS)
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^<>\[]{0,200}\[", re.IGNORECASE)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SELF_CLOSING_PEERS = frozenset("p li dt dd tr td th option".split())  # <p>a<p>b: siblings
_BREAK_RUN = re.compile(r"(?:<br>\s*){2,}")
_FLAT_KEPT = frozenset("p h1 h2 h3 h4 h5 h6".split())  # paragraphs survive unwrapping


def defuse_markup(html: str) -> str:
    """The page with entity declarations, huge code and attribute blobs removed and
    nesting past MAX_DEPTH unwrapped; a page with none of these comes back unchanged."""
    html = _drop_internal_subset(html)
    html = _drop_long_code(html, "script")
    html = _drop_long_code(html, "style")
    if len(html) > MAX_TAG_CHARS:
        html = _LONG_TAG.sub(r"<\1>", html)
    return _unwrap_deep(html) if _max_depth(html) > MAX_DEPTH else html


def _drop_internal_subset(html: str) -> str:
    m = _DOCTYPE_SUBSET.search(html, 0, 4096)
    if not m:
        return html
    end = html.find("]>", m.end())
    return html[:m.start()] + "<!DOCTYPE html>" + (html[end + 2:] if end >= 0 else "")


def _drop_long_code(html: str, tag: str) -> str:
    lower = html.lower()
    if f"<{tag}" not in lower:
        return html
    out, pos = [], 0
    while (start := lower.find(f"<{tag}", pos)) >= 0:
        body = lower.find(">", start)
        close = lower.find(f"</{tag}", body) if body >= 0 else -1
        stop = len(html) if close < 0 else close
        if body < 0:
            break
        out.append(html[pos:body + 1])
        if stop - body - 1 <= MAX_CODE_CHARS:
            out.append(html[body + 1:stop])
        pos = stop
    out.append(html[pos:])
    return "".join(out)


def _max_depth(html: str) -> int:
    depth = deepest = 0
    for closing, name, rest in _scan(html):
        if name in _SELF_CLOSING_PEERS:
            continue  # left open as often as closed: they never nest
        if closing:
            depth = max(0, depth - 1)
        elif name not in _VOID and not rest.endswith("/"):
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _scan(html: str):
    for m in _TAG.finditer(html):
        yield m.group(1) == "/", m.group(2).lower(), m.group(3)


def _unwrap_deep(html: str) -> str:
    """Rebuild the page keeping only the tags within MAX_DEPTH; a paragraph tag past it is
    kept unnested, and every other dropped element becomes a line break between its texts."""
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag, emitted?)
    flat = [0]  # paragraph tags open past MAX_DEPTH
    pos = 0
    for m in _TAG.finditer(html):
        out.append(html[pos:m.start()])
        pos = m.end()
        closing, name, rest = m.group(1) == "/", m.group(2).lower(), m.group(3)
        if closing:
            out.append(_close(stack, flat, name, m.group(0)))
            continue
        if name in _VOID or rest.endswith("/"):
            out.append(m.group(0))
            continue
        if name in _SELF_CLOSING_PEERS and stack and stack[-1][0] == name:
            out.append(_close(stack, flat, name, f"</{name}>"))
        deep = len(stack) >= MAX_DEPTH
        keep = not deep or (name in _FLAT_KEPT and not flat[0])
        flat[0] += deep and keep
        stack.append((name, keep))
        out.append(m.group(0) if keep else "<br>")
    out.append(html[pos:])
    return _BREAK_RUN.sub("<br>", "".join(out))


def _close(stack: list[tuple[str, bool]], flat: list[int], name: str, tag: str) -> str:
    """Close the nearest open `name` (and what it implicitly closes); '' when none is open."""
    for i in range(len(stack) - 1, max(-1, len(stack) - 64), -1):
        if stack[i][0] == name:
            closed = stack[i:]
            flat[0] -= sum(kept for j, (_, kept) in enumerate(closed, i) if j >= MAX_DEPTH)
            del stack[i:]
            return "".join(f"</{t}>" for t, kept in reversed(closed[1:]) if kept) + (tag if closed[0][1] else "<br>")
    return ""  # a stray closing tag: browsers ignore it
