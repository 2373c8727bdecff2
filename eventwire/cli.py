"""Command-line edge: parse options, call one pipeline/service function, format the result."""
from __future__ import annotations

import json
import logging
import sys
import uuid
from contextlib import contextmanager
from typing import Any, Iterator

import click

from . import __version__
from .errors import (BadRequest, BadUpload, Conflict, EventwireError, NotFound, StoreError,
                     TooLarge, WriteDenied)
from .records import Rejected

log = logging.getLogger(__name__)

# The one place errors become exit codes (1 stays "some documents failed").
_EXIT_CODES = {BadRequest: 2, BadUpload: 2, TooLarge: 2, NotFound: 3, Conflict: 4,
               WriteDenied: 5, StoreError: 6}
INTERNAL_ERROR_EXIT = 70  # EX_SOFTWARE: a defect, reported with an id


def _one_line(exc: BaseException) -> str:
    """An error is one line on stderr even when a driver's message spans several (libpq's
    'server closed the connection unexpectedly' comes with two more)."""
    return " ".join(str(exc).split())


class _Commands(click.Group):
    """The command group whose `invoke` is the CLI's single error wrapper: a refusal from
    errors.py prints one line with its code and exits with its class's code; anything else
    is a defect, one line with an error id (the traceback goes to the log at debug level)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit,
                click.exceptions.Abort):
            raise
        except EventwireError as exc:
            click.echo(f"eventwire: error [{exc.code}]: {_one_line(exc)}", err=True)
            ctx.exit(next(code for cls, code in _EXIT_CODES.items() if isinstance(exc, cls)))
        except Exception as exc:  # noqa: BLE001 -- the last line of defence
            error_id = uuid.uuid4().hex[:12]
            log.debug("internal error %s", error_id, exc_info=True)
            click.echo(f"eventwire: internal error {error_id}: {type(exc).__name__}: {_one_line(exc)}"
                       " (a defect: please report it with this line)", err=True)
            ctx.exit(INTERNAL_ERROR_EXIT)


@click.group(cls=_Commands)
@click.version_option(__version__, prog_name="eventwire")
def main() -> None:
    """eventwire: raw conflict news in, structured geocoded events out."""


@contextmanager
def _open_output(path: str) -> Iterator:
    if path == "-":
        yield sys.stdout
    else:
        with open(path, "w", encoding="utf-8") as fh:
            yield fh


def _progress(items, label: str):
    """Wrap an iterator in a progress bar only when a person is watching."""
    if not sys.stderr.isatty():
        return items
    from tqdm import tqdm
    return tqdm(items, desc=label, unit="doc", file=sys.stderr)


def _report(rejected: list[Rejected]) -> None:
    """One line per bad document; exit 1 when any could not be read (empty ones only warn)."""
    for r in rejected:
        click.echo(r.message(), err=True)
    failed = sum(r.fatal for r in rejected)
    if failed:
        click.echo(f"eventwire: {failed} document(s) failed", err=True)
        sys.exit(1)


@main.command("read")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--output", "-o", default="-", show_default=True, help="DOCS.jsonl, or - for standard output")
@click.option("--with-encoding", is_flag=True,
              help="add each document's 'encoding': the one its bytes were read in (detected for files)")
def read_cmd(inputs: tuple[str, ...], output: str, with_encoding: bool) -> None:
    """Clean pages into article records (one JSON object per line)."""
    from .pipeline import read_documents
    rejected: list[Rejected] = []
    with _open_output(output) as out:
        for item in _progress(read_documents(inputs), "read"):
            if isinstance(item, Rejected):
                rejected.append(item)
                continue
            out.write(json.dumps(item.to_record(with_encoding), ensure_ascii=False) + "\n")
    _report(rejected)


@main.command("extract")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--output", "-o", default="-", show_default=True, help="EVENTS.jsonl, or - for standard output")
def extract_cmd(inputs: tuple[str, ...], output: str) -> None:
    """Code every incident the articles report as ACLED-style events (JSONL)."""
    from .pipeline import extract, read_documents
    from .resources import load_resources
    resources = load_resources()
    rejected: list[Rejected] = []
    with _open_output(output) as out:
        for item in extract(_progress(read_documents(inputs), "extract"), resources):
            if isinstance(item, Rejected):
                rejected.append(item)
                continue
            out.write(json.dumps(item.to_record(), ensure_ascii=False) + "\n")
    _report(rejected)


@main.command("explain")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--doc", "doc_id", help="explain only the document with this id")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]),
              help="text (the default on a terminal) or json (one object per document, otherwise)")
def explain_cmd(inputs: tuple[str, ...], doc_id: str | None, fmt: str | None) -> None:
    """Why each sentence did or did not become an event: every component's decision."""
    from .explain import as_text
    from .services import explain_inputs
    fmt = fmt or ("text" if sys.stdout.isatty() else "json")
    rejected: list[Rejected] = []
    shown = 0
    for item in explain_inputs(inputs, doc_id):
        if isinstance(item, Rejected):
            rejected.append(item)
            continue
        shown += 1
        click.echo(as_text(item) + "\n" if fmt == "text" else json.dumps(item, ensure_ascii=False))
    if doc_id is not None and not shown and not rejected:
        click.echo(f"eventwire: {doc_id}: explain: not-found: no document with this id in the inputs", err=True)
        sys.exit(1)
    _report(rejected)


_DB_HELP = ("store: a SQLite path, sqlite:///path or postgresql://...; "
            "default $EVENTWIRE_DB, else ./eventwire.sqlite")


def _bbox(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    try:
        box = tuple(float(v) for v in value.split(","))
    except ValueError:
        box = ()
    if len(box) != 4:
        raise click.BadParameter("expected MIN_LON,MIN_LAT,MAX_LON,MAX_LAT")
    return box


def _date(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    import datetime as dt
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}") from None


def filter_options(fn):
    """The event filters shared by export, brief and friends."""
    options = [
        click.option("--since", "date_from", callback=_date, help="first event date, YYYY-MM-DD"),
        click.option("--until", "date_to", callback=_date, help="last event date, YYYY-MM-DD"),
        click.option("--type", "--event-type", "event_type", help="ACLED event type or sub-event type"),
        click.option("--actor", help="an actor or any alias the actor dictionary knows, else"
                     " text found in actor1/actor2/associated actors"),
        click.option("--admin1", help="first-level region, as ACLED spells it"),
        click.option("--country", help="country name"),
        click.option("--bbox", callback=_bbox, help="MIN_LON,MIN_LAT,MAX_LON,MAX_LAT"),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _filters(opts: dict, db_url: str | None = None):
    from .analyst import actor_filter
    from .services import EventQuery
    from .services.reads import checked_filters
    opts = {**opts, "actor": actor_filter(opts["actor"])}  # "ISIS" finds Islamic State
    query = EventQuery(**{k: opts[k] for k in ("date_from", "date_to", "event_type", "actor",
                                                "admin1", "country", "bbox")})
    # place aliases resolved, an unknown value refused with the nearest known ones (as the API)
    return checked_filters(db_url, query)


@main.command("ingest")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--db", "db_url", help=_DB_HELP)
@click.option("--engine", type=click.Choice(["serial", "dask"]), default="serial", show_default=True,
              help="where reading and extraction run: this process, or a Dask cluster"
                   " (linking always runs here, so both store the same)")
@click.option("--workers", type=click.IntRange(1, 1024), default=None,
              help="with --engine dask: start a local cluster of this many worker processes"
                   " (default: one per CPU core)")
@click.option("--scheduler", default=None,
              help="with --engine dask: use the existing cluster at tcp://HOST:PORT")
@click.option("--worker-memory", default=None,
              help="with --workers: restart a worker that goes over this much memory (e.g. 1GiB);"
                   " the document it was on is retried alone and reported if it kills it again")
def ingest_cmd(inputs: tuple[str, ...], db_url: str | None, engine: str,
               workers: int | None, scheduler: str | None, worker_memory: str | None) -> None:
    """Extract events, link reports of one incident and store everything (idempotent)."""
    from .engines import DaskEngine, EngineError
    from .services import ingest, resolve_url
    if engine != "dask" and (workers or scheduler):
        raise click.UsageError("--workers and --scheduler need --engine dask")
    if workers and scheduler:
        raise click.UsageError("give --workers (a local cluster) or --scheduler (an existing one), not both")
    if worker_memory and (engine != "dask" or scheduler):
        raise click.UsageError("--worker-memory is for the local cluster of --engine dask")
    runner = DaskEngine(workers, scheduler, memory_limit=worker_memory) if engine == "dask" else None
    try:
        result = ingest(inputs, db_url, progress=lambda items: _progress(items, "ingest"),
                        engine=runner)
    except EngineError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if runner is not None:
            runner.close()
    click.echo(f"eventwire: {resolve_url(db_url)}: {result.documents_new} new document(s), "
               f"{result.documents_skipped} already stored, {result.copies_recorded} copied "
               f"from a stored one, {result.documents_extracted} extracted; {result.reports} report(s): "
               f"{result.events_created} new event(s), {result.reports_merged} linked to "
               f"existing events", err=True)
    _report(result.rejected)


@main.group("corrections")
def corrections_group() -> None:
    """Keep analysts' corrections across stores: export them, replay them on a rebuilt store."""


@corrections_group.command("export")
@click.option("--db", "db_url", help=_DB_HELP)
@click.option("--output", "-o", default="-", show_default=True, help="file, or - for standard output")
def corrections_export(db_url: str | None, output: str) -> None:
    """Write every edit, acceptance, split and merge as JSONL, anchored on reports."""
    from .analyst import export_corrections
    rows = export_corrections(db_url)
    with _open_output(output) as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    click.echo(f"eventwire: exported {len(rows)} correction(s)", err=True)


@corrections_group.command("replay")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--db", "db_url", help=_DB_HELP)
def corrections_replay(file: str, db_url: str | None) -> None:
    """Apply exported corrections to this store, each to the event holding its reports."""
    from .analyst import replay_corrections
    entries = []
    with open(file, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    entries.append(json.loads(line))
                except ValueError as exc:
                    raise BadRequest(f"{file} line {n}: not JSON ({exc})") from None
    report = replay_corrections(db_url, entries)
    for problem in report.problems:
        click.echo(f"eventwire: {problem}", err=True)
    click.echo(f"eventwire: {report.applied} correction(s) applied, {report.already} already"
               f" in place, {report.unmatched} with no report in this store", err=True)


@main.command("watch")
@click.argument("name")
@click.option("--db", "db_url", help=_DB_HELP)
@click.option("--interval", default=5.0, show_default=True, type=click.FloatRange(0.05, 3600),
              help="seconds between looks at the store")
@click.option("--webhook", default=None, help="also POST each new match as JSON to this URL")
@click.option("--jsonl", is_flag=True, help="print each new match as its JSON record")
@click.option("--polls", default=None, type=click.IntRange(1), help="stop after this many looks")
def watch_cmd(name: str, db_url: str | None, interval: float, webhook: str | None,
              jsonl: bool, polls: int | None) -> None:
    """Print the events that newly match saved search NAME after each ingest."""
    from .alerts import Watch, WebhookError, post_webhook, watch
    started = Watch(db_url, name)  # the matches of now are the baseline, not news
    click.echo(f"eventwire: watching {name!r} (Ctrl-C stops)", err=True)
    try:
        for new in watch(db_url, name, interval, polls, started=started):
            for e in new:
                click.echo(json.dumps(e.to_record(), ensure_ascii=False) if jsonl else
                           f"{e.event_date or 'undated'}  {e.sub_event_type}  {e.location or e.admin1 or '?'}"
                           f"  {e.fatalities if e.fatalities is not None else '?'} killed  {e.event_id}")
                if webhook:
                    try:
                        post_webhook(webhook, name, e)
                    except WebhookError as exc:
                        click.echo(f"eventwire: {exc}", err=True)
            sys.stdout.flush()
    except KeyboardInterrupt:
        pass


@main.command("export")
@click.option("--db", "db_url", help=_DB_HELP)
@click.option("--format", "fmt", required=True,
              type=click.Choice(["jsonl", "geojson", "acled-csv"]))
@click.option("--output", "-o", default="-", show_default=True, help="file, or - for standard output")
@filter_options
def export_cmd(db_url: str | None, fmt: str, output: str, **opts) -> None:
    """Write stored events as JSONL, GeoJSON or ACLED-compatible CSV."""
    from .services import export_events
    with _open_output(output) as out:
        n = export_events(db_url, fmt, _filters(opts, db_url), out)
    click.echo(f"eventwire: exported {n} event(s)", err=True)


@main.command("serve")
@click.option("--db", "db_url", help="SQLite path, sqlite:///path or postgresql://... (default: $EVENTWIRE_DB or ./eventwire.sqlite)")
@click.option("--host", default="127.0.0.1", show_default=True, help="interface to listen on")
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port")
@click.option("--token", envvar="EVENTWIRE_TOKEN", default=None,
              help="enable adding news from the page; every write must carry this token"
                   " (or set $EVENTWIRE_TOKEN)")
@click.option("--tile-url", envvar="EVENTWIRE_TILE_URL", default=None,
              help="optional map tile URL template, e.g. http://localhost:8080/{z}/{x}/{y}.png"
                   " (default: offline boundaries only)")
@click.option("--allow-host", "allow_hosts", multiple=True,
              help="another host name requests may address (e.g. a reverse proxy's); by"
                   " default only the bound host and localhost are accepted, against DNS"
                   " rebinding")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="server processes (one per CPU core serves the most readers)")
def serve_cmd(db_url: str | None, host: str, port: int, token: str | None,
              tile_url: str | None, allow_hosts: tuple[str, ...], workers: int) -> None:
    """Serve the dashboard at / and the HTTP API (schema at /openapi.json)."""
    import dataclasses
    import os

    import uvicorn

    from .store.db import open_store, resolve_url
    from .web.app import SETTINGS_ENV, create_app
    from .services import WebSettings
    open_store(db_url).close()  # fail fast, with a clear message, on a bad store URL
    click.echo(f"eventwire: serving {resolve_url(db_url)} on http://{host}:{port}/"
               f" (adding news {'on' if token else 'off'})", err=True)
    bound = () if host in ("0.0.0.0", "::") else (host,)  # all interfaces: names unknown
    hosts = None if not bound and not allow_hosts else tuple(
        dict.fromkeys((*bound, "localhost", "127.0.0.1", "::1", *allow_hosts)))
    settings = WebSettings(db_url=db_url, token=token or None, tile_url=tile_url,
                           allowed_hosts=hosts)
    if workers > 1:
        # Worker processes build their own app from the environment (uvicorn's factory mode).
        os.environ[SETTINGS_ENV] = json.dumps(dataclasses.asdict(settings))
        uvicorn.run("eventwire.web.app:app_from_environment", factory=True, host=host,
                    port=port, workers=workers, log_level="warning")
    else:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


@main.group("gazetteer")
def gazetteer_group() -> None:
    """Manage the gazetteer: add places the packaged data lacks."""


@gazetteer_group.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--to", "target", default=None,
              help="overlay file to extend (default: $EVENTWIRE_GAZETTEER or ~/.local/share/eventwire/places.tsv)")
def gazetteer_add_cmd(file: str, target: str | None) -> None:
    """Merge a GeoNames dump (SY.txt format), an OCHA/analyst CSV or TSV into the place overlay."""
    from .place_overlay import merge_places
    from .resources import place_overlay_path
    path = target or str(place_overlay_path())
    try:
        stats = merge_places(path, file)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"{file}: {exc}") from exc
    errors = stats.pop("errors")
    for line in errors:
        click.echo(f"error: {line}", err=True)
    click.echo(json.dumps({"file": file, **stats, "errors": len(errors), "overlay": path}))
    if errors:
        raise SystemExit(1)


@main.command("brief")
@click.option("--db", "db_url", default=None, help="SQLite path, sqlite:///path or postgresql://...")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "pdf"]), default="md", show_default=True)
@click.option("--output", "-o", default="-", show_default=True, help="file, or - for standard output")
@click.option("--admin2", default=None, help="second-level region")
@click.option("--days", default=7, show_default=True, help="window length when --since is not given")
@filter_options
def brief_cmd(db_url: str | None, fmt: str, output: str, admin2: str | None, days: int, **opts) -> None:
    """Draft a situation brief over a filtered slice of the store, every sentence cited."""
    from .briefs import BriefRequest
    from .services import write_brief
    request = BriefRequest(filters=_filters(opts, db_url), admin2=admin2, days=days)
    _, data = write_brief(db_url, request, fmt, None if output == "-" else output)
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
