// eventwire dashboard: map, timeline, table and event panel over the HTTP API.
// Every piece of data reaches the page through textContent or DOM properties, never
// innerHTML: article text is scraped from the web and may carry markup.
"use strict";

const FILTERS = ["date_from", "date_to", "event_type", "actor", "country", "admin1", "location",
                 "min_confidence", "q", "bbox"];
const TYPE_COLOURS = {
  "Battles": "#c0392b",
  "Explosions/Remote violence": "#e67e22",
  "Violence against civilians": "#8e44ad",
  "Strategic developments": "#2980b9",
  "Protests": "#27ae60",
  "Riots": "#d4ac0d",
};
const PAGE_SIZE = 25;
const MAX_UPLOAD = 10_000_000;

const state = {filters: {}, sort: "event_date", order: "desc", page: 0, event: null,
               view: null, shade: ""};
let config = {write_enabled: false, tile_url: null, boundaries: []};
let map, cluster, timeline;
let markersById = new Map();

// ---- small DOM helpers -------------------------------------------------------------

function $(sel) { return document.querySelector(sel); }

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "className") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function status(message, isError) {
  const s = $("#status");
  s.textContent = message || "";
  s.classList.toggle("error", !!isError);
}

async function getJSON(url) {
  const r = await fetch(url, {headers: {"Accept": "application/json"}});
  const body = await r.json().catch(() => ({error: r.statusText}));
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function show(v) { return v === null || v === undefined || v === "" ? "—" : String(v); }

// ---- URL <-> state -------------------------------------------------------------------

function readURL() {
  const p = new URLSearchParams(location.search);
  state.filters = {};
  for (const f of FILTERS) if (p.get(f)) state.filters[f] = p.get(f);
  state.sort = p.get("sort") || "event_date";
  state.order = p.get("order") === "asc" ? "asc" : "desc";
  state.page = Math.max(0, parseInt(p.get("page") || "0", 10) || 0);
  state.event = p.get("event");
  // map=ZOOM/LAT/LON, as OpenStreetMap writes it
  const view = (p.get("map") || "").split("/").map(Number);
  state.view = view.length === 3 && view.every(Number.isFinite) ? view : null;
  state.shade = ["admin1", "admin2"].includes(p.get("shade")) ? p.get("shade") : "";
}

function writeURL() {
  const p = filterParams();
  if (state.sort !== "event_date") p.set("sort", state.sort);
  if (state.order !== "desc") p.set("order", state.order);
  if (state.page) p.set("page", state.page);
  if (state.event) p.set("event", state.event);
  if (state.view) p.set("map", state.view.join("/"));
  if (state.shade) p.set("shade", state.shade);
  const qs = p.toString();
  history.replaceState(null, "", qs ? "?" + qs : location.pathname);
}

function filterParams(extra) {
  const p = new URLSearchParams();
  for (const f of FILTERS) if (state.filters[f]) p.set(f, state.filters[f]);
  for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
  return p;
}

function fillForm() {
  for (const f of FILTERS) {
    const input = document.getElementById("f-" + f);
    if (input) input.value = state.filters[f] || "";
  }
  $("#clear-map-area").hidden = !state.filters.bbox;
}

function readForm() {
  const data = new FormData($("#filters"));
  state.filters = {};
  for (const f of FILTERS) {
    const v = (data.get(f) || "").trim();
    if (v) state.filters[f] = v;
  }
}

// ---- set-up ----------------------------------------------------------------------------

async function init() {
  readURL();
  state.keepView = !!state.view;
  config = await getJSON("/config");
  setUpMap();
  EWEdit.attach({map, el, status, config, openEvent, refresh, openEventId: () => state.event});
  setUpTimeline();
  setUpTable();
  setUpForms();
  const facets = await getJSON("/facets");
  fillFacets(facets);
  fillForm();
  await refresh();
  if (state.event) openEvent(state.event);
}

function fillFacets(facets) {
  const typeSel = $("#f-event_type");
  const types = el("optgroup", {label: "Event types"},
    facets.event_type.map(t => el("option", {value: t.value}, `${t.value} (${t.events})`)));
  const subs = el("optgroup", {label: "Sub-event types"},
    facets.sub_event_type.map(t => el("option", {value: t.value}, `${t.value} (${t.events})`)));
  typeSel.append(types, subs);
  $("#f-country").append(...facets.country.map(
    c => el("option", {value: c.value}, `${c.value} (${c.events})`)));
  $("#admin1-options").append(...facets.admin1.map(
    a => el("option", {value: a.value}, `${a.value} (${a.events})`)));
  fillPickList("actor", "#actor-options");
  fillPickList("location", "#location-options");
  const legend = $("#legend");
  for (const [type, colour] of Object.entries(TYPE_COLOURS)) {
    const sw = el("span", {className: "sw"});
    sw.style.background = colour;
    legend.append(el("li", {}, sw, type));
  }
  legend.append(el("li", {className: "legend-road"}, el("span", {className: "sw road"}),
                   "Main road (approximate)"));
}

async function fillPickList(by, sel) {
  // the store's values, most events first: a pick list that still takes free text
  const data = await getJSON("/aggregates?" + new URLSearchParams({by, interval: "total"}));
  const rows = data.rows.filter(r => r.key).sort((a, b) => b.events - a.events).slice(0, 500);
  $(sel).replaceChildren(...rows.map(r => el("option", {value: r.key}, `${r.key} (${r.events})`)));
  $(sel).dataset.filled = String(rows.length);
}

function setUpForms() {
  $("#filters").addEventListener("submit", ev => {
    ev.preventDefault();
    readForm();
    state.page = 0;
    refresh();
  });
  $("#reset").addEventListener("click", () => {
    state.filters = {};
    state.page = 0;
    fillForm();
    refresh();
  });
  $("#use-map-area").addEventListener("click", () => {
    const b = map.getBounds();
    state.filters.bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
      .map(v => v.toFixed(4)).join(",");
    state.page = 0;
    fillForm();
    refresh();
  });
  $("#clear-map-area").addEventListener("click", () => {
    delete state.filters.bbox;
    fillForm();
    refresh();
  });
  setUpAddNews();
}

async function refresh() {
  writeURL();
  updateDownloads();
  status("Loading…");
  try {
    await Promise.all([loadPoints(), loadTimeline(), loadTable(),
                       state.event ? null : loadOverview()]);
    status("");
  } catch (err) {
    status("Could not load events: " + err.message, true);
  }
}

function updateDownloads() {
  const qs = filterParams({sort: state.sort, order: state.order}).toString();
  for (const fmt of ["acled-csv", "geojson", "jsonl"]) {
    document.getElementById("dl-" + fmt).href = `/export/${fmt}?${qs}`;
  }
  // The brief covers the same view (it ignores order and the text/location filters).
  const view = filterParams().toString();
  const suffix = view ? "?" + view : "";
  document.getElementById("brief-link").href = "/brief" + suffix;
  for (const fmt of ["pdf", "md", "html"]) {
    document.getElementById("dl-brief-" + fmt).href = `/brief/download/${fmt}${suffix}`;
  }
}

// ---- map -------------------------------------------------------------------------------

function setUpMap() {
  map = L.map("map", {keyboard: true, worldCopyJump: true, minZoom: 2, maxZoom: 14});
  map.on("moveend", () => {
    const c = map.getCenter();
    state.view = [map.getZoom(), +c.lat.toFixed(4), +c.lng.toFixed(4)];
    $("#map").dataset.view = state.view.join("/");
    writeURL();
  });
  if (state.view) map.setView([state.view[1], state.view[2]], state.view[0]);
  else map.setView([34.8, 39.0], 6);
  map.createPane("choropleth");
  map.getPane("choropleth").style.zIndex = 410;
  map.attributionControl.setPrefix("Leaflet");
  if (config.tile_url) {
    L.tileLayer(config.tile_url, {maxZoom: 18}).addTo(map);
  }
  layerControl = L.control.layers(null, {}, {collapsed: true, position: "bottomleft"}).addTo(map);
  for (const name of config.boundaries) loadBoundary(name);
  EWBasemap.attach(map, layerControl);
  cluster = L.markerClusterGroup({maxClusterRadius: 40, spiderfyOnMaxZoom: true,
                                  showCoverageOnHover: false,
                                  iconCreateFunction: EWMap.clusterIcon(TYPE_COLOURS)});
  setUpShading();
  map.addLayer(cluster);
}

// Offline boundary layers; "admin1" is an approximation (Voronoi areas of gazetteer places
// clipped to the country outlines, see data/boundaries/SOURCES.md) and is labelled so.
const BOUNDARY_LABELS = {countries: "Countries", admin1: "Admin-1 areas (approximate)",
                         admin2: "Admin-2 areas (approximate)"};
const BOUNDARIES_SHOWN = new Set(["countries", "admin1"]);  // the rest: in the layer menu
let layerControl = null;

async function loadBoundary(name) {
  try {
    const gj = await getJSON(`/boundaries/${encodeURIComponent(name)}`);
    const admin = name !== "countries";
    const layer = L.geoJSON(gj, {
      interactive: false,
      style: admin ? {color: "#7b8794", weight: 0.7, dashArray: "3 3", fill: false}
                   : {color: "#52606d", weight: 1.1, fillColor: "#f4f1ea", fillOpacity: 0.6},
    });
    if (BOUNDARIES_SHOWN.has(name)) {
      layer.addTo(map);
      if (admin) layer.bringToFront(); else layer.bringToBack();
    }
    layerControl.addOverlay(layer, BOUNDARY_LABELS[name] || name);
    $("#map").dataset.boundaries = [$("#map").dataset.boundaries, name].filter(Boolean).join(" ");
  } catch (err) {
    status(`Boundary layer ${name} unavailable: ${err.message}`, true);
  }
}

function markerIcon(type, fatalities) {
  const size = Math.round(Math.min(44, 12 + 5 * Math.sqrt(fatalities || 0)));
  const dot = document.createElement("span");
  dot.className = "ew-dot";
  dot.style.background = TYPE_COLOURS[type] || "#555";
  dot.style.width = dot.style.height = size + "px";
  return L.divIcon({html: dot, className: "ew-marker", iconSize: [size, size]});
}

async function loadPoints(fit = true) {
  const [data, page] = await Promise.all([
    getJSON("/points?" + filterParams({max_points: 5000}).toString()),
    getJSON("/events?" + filterParams({limit: 1}).toString())]);
  const idx = Object.fromEntries(data.fields.map((f, i) => [f, i]));
  const markers = data.rows.map(r => {
    const [id, date, type, sub] = [r[idx.event_id], r[idx.event_date], r[idx.event_type],
                                   r[idx.sub_event_type]];
    const fat = r[idx.fatalities];
    const m = L.marker([r[idx.latitude], r[idx.longitude]], {
      icon: markerIcon(type, fat), keyboard: true, eventType: type,
      title: `${date || "undated"} · ${sub} · ${fat === null ? "?" : fat} killed`,
      alt: `${sub} on ${date || "unknown date"}`,
    });
    m.on("click", () => openEvent(id));
    m.on("add", () => { const e = m.getElement(); if (e) e.dataset.eventId = id; });
    m.options.eventId = id;
    return m;
  });
  cluster.clearLayers();
  cluster.addLayers(markers);
  markersById = new Map(markers.map(m => [m.options.eventId, m]));
  const fitted = EWMap.robustBounds(markers.map(m => [m.getLatLng().lat, m.getLatLng().lng]));
  // A view from the URL wins over fitting, once: the link shows what its sender saw.
  if (fit && fitted && !state.filters.bbox && !state.keepView) {
    map.fitBounds(fitted.bounds.pad(0.15), {maxZoom: 9, animate: false});
  }
  state.keepView = false;
  const unmapped = Math.max(0, page.total - markers.length);
  const mapEl = $("#map");
  mapEl.dataset.points = String(markers.length);
  mapEl.dataset.unmapped = String(unmapped);
  mapEl.dataset.outliers = String(fitted ? fitted.outliers : 0);
  const note = $("#map-note");
  note.textContent = [
    unmapped ? `${unmapped} event${unmapped === 1 ? "" : "s"} not on the map (no coordinates)` : "",
    fitted && fitted.outliers ? `${fitted.outliers} far from the rest, outside this view` : ""]
    .filter(Boolean).join(" · ");
  note.hidden = !note.textContent;
  if (state.shade) loadShading().catch(err => status(err.message, true));
}

// ---- shaded admin areas (choropleth) -----------------------------------------------------

let shading = null;
const areaLayers = {};

function setUpShading() {
  const sel = $("#shade");
  sel.value = state.shade;
  sel.addEventListener("change", () => {
    state.shade = sel.value;
    writeURL();
    loadShading().catch(err => status(err.message, true));
  });
}

async function loadShading() {
  if (shading) { map.removeLayer(shading); shading = null; }
  $("#shade-legend").replaceChildren();
  const level = state.shade;
  delete $("#map").dataset.shaded;
  if (!level) return;
  if (!config.boundaries.includes(level)) { status(`No ${level} areas on this server`, true); return; }
  areaLayers[level] = areaLayers[level] || await getJSON(`/boundaries/${level}`);
  const agg = await getJSON("/aggregates?" + filterParams({by: level, interval: "total"}).toString());
  if (state.shade !== level) return;
  const counts = new Map(agg.rows.filter(r => r.key).map(r => [r.key, r.events]));
  shading = EWMap.choropleth(areaLayers[level], counts, level).addTo(map);
  $("#shade-legend").append(EWMap.shadeLegend(Math.max(0, ...counts.values())));
  $("#map").dataset.shaded = level;
}

// ---- timeline (hand-written SVG with a brush) -------------------------------------------

const SVGNS = "http://www.w3.org/2000/svg";

function svg(tag, attrs) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  return node;
}

function dayNum(iso) { return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 864e5; }
function isoDay(n) { return new Date(Math.round(n) * 864e5).toISOString().slice(0, 10); }

function setUpTimeline() {
  const node = $("#timeline");
  timeline = {node, rows: [], x0: 0, x1: 1, width: 1000, height: 160, pad: 34, binDays: 1,
              brush: null, dragStart: null};
  node.setAttribute("viewBox", `0 0 ${timeline.width} ${timeline.height}`);
  node.addEventListener("pointerdown", ev => {
    node.setPointerCapture(ev.pointerId);
    timeline.dragStart = toDay(ev);
    timeline.brush = [timeline.dragStart, timeline.dragStart];
    drawBrush();
  });
  node.addEventListener("pointermove", ev => {
    if (timeline.dragStart === null) return;
    const d = toDay(ev);
    timeline.brush = [Math.min(timeline.dragStart, d), Math.max(timeline.dragStart, d)];
    drawBrush();
  });
  node.addEventListener("pointerup", ev => {
    if (timeline.dragStart === null) return;
    timeline.dragStart = null;
    const [a, b] = timeline.brush;
    if (b - a < 0.5 && timeline.binDays === 1) timeline.brush = [a, a];
    applyBrush();
  });
  node.addEventListener("keydown", timelineKey);
  $("#clear-brush").addEventListener("click", clearBrush);
  $("#time-slider").addEventListener("input", ev => { stopPlaying(); showPeriod(+ev.target.value); });
  $("#play").addEventListener("click", () => (timeline.player ? stopPlaying() : play()));
}

// ---- time player: one period (the chart's bin) at a time on the map and table ----------

function periodEnd(start) {
  if (timeline.interval !== "month") return start + timeline.binDays - 1;
  const d = new Date(start * 864e5);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 864e5 - 1;
}

function showPeriod(i) {
  const row = timeline.rows[i];
  if (!row) return;
  const start = dayNum(row.period);
  timeline.brush = [start, periodEnd(start)];
  $("#time-slider").value = String(i);
  $("#time-window").textContent = `${isoDay(timeline.brush[0])} – ${isoDay(timeline.brush[1])}:`
    + ` ${row.events} event${row.events === 1 ? "" : "s"}`;
  drawBrush();
  applyBrush();
}

function play() {
  if (!timeline.rows.length) return;
  const btn = $("#play");
  btn.textContent = "Pause";
  btn.setAttribute("aria-pressed", "true");
  let i = timeline.brush ? +$("#time-slider").value : -1;
  if (i >= timeline.rows.length - 1) i = -1;
  const step = () => {
    i += 1;
    showPeriod(i);
    if (i >= timeline.rows.length - 1) stopPlaying();
  };
  step();
  timeline.player = setInterval(step, 1200);
}

function stopPlaying() {
  clearInterval(timeline.player);
  timeline.player = null;
  const btn = $("#play");
  btn.textContent = "Play";
  btn.setAttribute("aria-pressed", "false");
}

function toDay(ev) {
  const box = timeline.node.getBoundingClientRect();
  const fx = ((ev.clientX - box.left) / box.width) * timeline.width;
  const t = (fx - timeline.pad) / (timeline.width - 2 * timeline.pad);
  return Math.floor(timeline.x0 + Math.max(0, Math.min(1, t)) * (timeline.x1 - timeline.x0));
}

function timelineKey(ev) {
  const step = timeline.binDays;
  let [a, b] = timeline.brush || [timeline.x0, timeline.x0 + step - 1];
  if (ev.key === "Escape") { clearBrush(); ev.preventDefault(); return; }
  if (!["ArrowLeft", "ArrowRight"].includes(ev.key)) return;
  const dir = ev.key === "ArrowLeft" ? -step : step;
  if (ev.shiftKey) b = Math.max(a, b + dir); else { a += dir; b += dir; }
  a = Math.max(timeline.x0, a);
  b = Math.min(timeline.x1, Math.max(a, b));
  timeline.brush = [a, b];
  drawBrush();
  applyBrush();
  ev.preventDefault();
}

function applyBrush() {
  const [a, b] = timeline.brush;
  state.filters.date_from = isoDay(a);
  state.filters.date_to = isoDay(b);
  state.page = 0;
  fillForm();
  writeURL();
  updateDownloads();
  $("#clear-brush").hidden = false;
  // The map keeps its view while brushing so the analyst sees markers come and go.
  Promise.all([loadPoints(false), loadTable(), state.event ? null : loadOverview()])
    .catch(err => status("Could not load events: " + err.message, true));
}

function clearBrush() {
  timeline.brush = null;
  delete state.filters.date_from;
  delete state.filters.date_to;
  $("#clear-brush").hidden = true;
  fillForm();
  refresh();
}

async function loadTimeline() {
  // The chart keeps showing the whole span (date filters left out) so the brush has context.
  const p = filterParams({by: "none", interval: "day"});
  p.delete("date_from");
  p.delete("date_to");
  const data = await getJSON("/aggregates?" + p.toString());
  const days = data.rows.filter(r => r.period);
  const first = days.length ? days[0].period : null;
  const last = days.length ? days[days.length - 1].period : null;
  const span = first ? dayNum(last) - dayNum(first) : 0;
  const interval = span > 1100 ? "month" : span > 150 ? "week" : "day";
  timeline.rows = binRows(days, interval);
  timeline.interval = interval;
  timeline.binDays = interval === "month" ? 30 : interval === "week" ? 7 : 1;
  $("#timeline-interval").textContent = `(per ${interval})`;
  if (first) {
    timeline.x0 = dayNum(timeline.rows[0].period) - 1;
    timeline.x1 = dayNum(last) + timeline.binDays + 1;
  }
  timeline.brush = state.filters.date_from || state.filters.date_to
    ? [Math.max(timeline.x0, dayNum(state.filters.date_from || first || "2000-01-01")),
       Math.min(timeline.x1, dayNum(state.filters.date_to || last || "2000-01-01"))] : null;
  $("#clear-brush").hidden = !timeline.brush;
  const slider = $("#time-slider");
  slider.max = String(Math.max(0, timeline.rows.length - 1));
  slider.disabled = timeline.rows.length < 2;
  $("#play").disabled = timeline.rows.length < 2;
  drawTimeline();
}

function binRows(days, interval) {
  if (interval === "day") return days;
  const bins = new Map();
  for (const r of days) {
    let key;
    if (interval === "month") key = r.period.slice(0, 8) + "01";
    else { const n = dayNum(r.period); key = isoDay(n - ((new Date(n * 864e5).getUTCDay() + 6) % 7)); }
    const b = bins.get(key) || {period: key, events: 0, fatalities: 0};
    b.events += r.events;
    b.fatalities += r.fatalities;
    bins.set(key, b);
  }
  return [...bins.values()];
}

function xOf(day) {
  const t = (day - timeline.x0) / Math.max(1, timeline.x1 - timeline.x0);
  return timeline.pad + t * (timeline.width - 2 * timeline.pad);
}

function drawTimeline() {
  const {node, rows, height, pad, width} = timeline;
  node.replaceChildren();
  const base = height - 22;
  const maxE = Math.max(1, ...rows.map(r => r.events));
  const maxF = Math.max(1, ...rows.map(r => r.fatalities));
  node.append(svg("line", {x1: pad, x2: width - pad, y1: base, y2: base, class: "axis"}));
  const barW = Math.max(2, xOf(timeline.x0 + timeline.binDays) - xOf(timeline.x0) - 1);
  for (const r of rows) {
    const x = xOf(dayNum(r.period));
    const h = (r.events / maxE) * (base - 12);
    const bar = svg("rect", {x: x, y: base - h, width: barW, height: h, class: "bar"});
    const tip = svg("title", {});
    tip.textContent = `${r.period}: ${r.events} events, ${r.fatalities} fatalities`;
    bar.append(tip);
    node.append(bar);
    if (r.fatalities > 0) {
      const y = base - (r.fatalities / maxF) * (base - 12);
      node.append(svg("line", {x1: x + barW / 2, x2: x + barW / 2, y1: base, y2: y, class: "fatal-line"}),
                  svg("circle", {cx: x + barW / 2, cy: y, r: 3, class: "fatal-dot"}));
    }
  }
  for (const d of [timeline.x0, (timeline.x0 + timeline.x1) / 2, timeline.x1]) {
    const t = svg("text", {x: xOf(d), y: height - 6, class: "tick", "text-anchor": "middle"});
    t.textContent = isoDay(d);
    node.append(t);
  }
  const yl = svg("text", {x: 4, y: 14, class: "tick"});
  yl.textContent = `max ${maxE} ev / ${maxF} killed`;
  node.append(yl);
  timeline.brushRect = svg("rect", {class: "brush", y: 4, height: base - 4, x: 0, width: 0});
  node.append(timeline.brushRect);
  drawBrush();
}

function drawBrush() {
  const r = timeline.brushRect;
  if (!r) return;
  if (!timeline.brush) { r.setAttribute("width", 0); return; }
  const [a, b] = timeline.brush;
  const x = xOf(a), w = Math.max(2, xOf(b + 1) - x);
  r.setAttribute("x", x);
  r.setAttribute("width", w);
}

// ---- table -------------------------------------------------------------------------------

function setUpTable() {
  for (const th of document.querySelectorAll("#events-table th[data-sort]")) {
    th.querySelector("button").addEventListener("click", () => {
      const key = th.dataset.sort;
      state.order = state.sort === key && state.order === "desc" ? "asc" : "desc";
      state.sort = key;
      state.page = 0;
      writeURL();
      updateDownloads();
      loadTable().catch(err => status(err.message, true));
    });
  }
  $("#prev-page").addEventListener("click", () => turnPage(-1));
  $("#next-page").addEventListener("click", () => turnPage(1));
}

function turnPage(d) {
  state.page = Math.max(0, state.page + d);
  writeURL();
  loadTable().catch(err => status(err.message, true));
}

async function loadTable() {
  const p = filterParams({sort: state.sort, order: state.order, limit: PAGE_SIZE,
                          offset: state.page * PAGE_SIZE});
  const data = await getJSON("/events?" + p.toString());
  const body = $("#events-table tbody");
  body.replaceChildren(...data.events.map(tableRow));
  for (const th of document.querySelectorAll("#events-table th[data-sort]")) {
    th.setAttribute("aria-sort", th.dataset.sort === state.sort
      ? (state.order === "asc" ? "ascending" : "descending") : "none");
  }
  const pages = Math.max(1, Math.ceil(data.total / PAGE_SIZE));
  $("#summary").textContent = `${data.total} events, ${data.fatalities} fatalities`;
  $("#page-info").textContent = `page ${state.page + 1} of ${pages}`;
  $("#prev-page").disabled = state.page === 0;
  $("#next-page").disabled = state.page + 1 >= pages;
  $("#events-table").dataset.total = String(data.total);
}

function tableRow(e) {
  const open = () => openEvent(e.event_id);
  const swatch = el("span", {className: "sw"});
  swatch.style.background = TYPE_COLOURS[e.event_type] || "#555";
  return el("tr", {tabindex: 0, dataset: {eventId: e.event_id}, onclick: open,
                   onkeydown: ev => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); open(); } }},
    el("td", {className: "date"}, show(e.event_date)), el("td", {}, swatch, show(e.event_type)),
    el("td", {}, show(e.sub_event_type)), el("td", {}, show(e.actor1)),
    el("td", {}, show(e.actor2)), el("td", {}, show(e.admin1)), el("td", {}, show(e.admin2)),
    el("td", {}, show(e.location)),
    el("td", {className: "num"}, show(e.fatalities)), el("td", {className: "num"}, show(e.n_sources)),
    el("td", {className: "num"}, e.confidence === null ? "—" : Number(e.confidence).toFixed(2)),
    el("td", {className: "notes-col"}, el("span", {className: "clamp", title: e.notes || ""}, show(e.notes))));
}

// ---- event panel ---------------------------------------------------------------------------

async function openEvent(id) {
  state.event = id;
  writeURL();
  const panel = $("#panel");
  panel.replaceChildren(el("p", {className: "hint"}, "Loading event…"));
  let detail;
  try {
    detail = await getJSON(`/events/${encodeURIComponent(id)}`);
  } catch (err) {
    panel.replaceChildren(el("p", {className: "error"}, `Event ${id}: ${err.message}`));
    return;
  }
  const e = detail.event;
  showOnMap(id, e);
  panel.replaceChildren(
    el("div", {className: "panel-head"},
      el("h2", {id: "panel-title"}, `${e.sub_event_type} · ${show(e.location || e.admin1)}`),
      el("button", {type: "button", className: "close", "aria-label": "Close event panel",
                    onclick: closeEvent}, "×")),
    el("p", {className: "notes"}, show(e.notes)),
    facts(e),
    el("p", {id: "panel-status", role: "status", className: "hint"}),
    EWEdit.correctionForm(e),
    el("p", {}, el("a", {href: `/events/${encodeURIComponent(id)}?format=html`}, "Permalink"),
       " · ", el("a", {href: `/events/${encodeURIComponent(id)}?format=json`}, "JSON")),
    el("h3", {}, "Sources"), el("div", {id: "panel-sources"}),
    el("h3", {}, "Claims by source"), claimsTable(detail.reports, id),
    el("h3", {}, "Merge history"), history_(detail.decisions));
  panel.dataset.eventId = id;
  panel.focus();
  const holder = $("#panel-sources");
  for (const src of e.sources) holder.append(await sourceBlock(id, src));
  panel.scrollTop = 0;
  for (const box of panel.querySelectorAll(".article")) {
    // Scroll each article box (not the page) to its first highlighted sentence.
    const mark = box.querySelector("mark.hl");
    if (mark) box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - 30);
  }
}

function showOnMap(id, e) {
  // Opening an event brings it into view: its marker out of its cluster, or its place.
  const marker = markersById.get(id);
  if (marker) {
    cluster.zoomToShowLayer(marker, () => {
      if (map.getZoom() < 9) map.setView(marker.getLatLng(), 9);
      const node = marker.getElement();
      if (node) node.classList.add("ew-selected");
    });
  } else if (e.latitude !== null && e.latitude !== undefined) {
    map.setView([e.latitude, e.longitude], Math.max(map.getZoom(), 9));
  }
  for (const node of document.querySelectorAll(".ew-selected")) node.classList.remove("ew-selected");
  $("#map").dataset.openEvent = id;
}

function closeEvent() {
  state.event = null;
  writeURL();
  loadOverview().catch(err => status(err.message, true));
}

async function loadOverview() {
  // With no event open the panel summarises the current view (the aggregates API).
  const get = by => getJSON("/aggregates?" + filterParams({by, interval: "total"}).toString());
  const [types, places, actors] = await Promise.all([get("event_type"), get("admin1"), get("actor")]);
  if (state.event) return;
  const top = (rows, n) => [...rows].sort((a, b) => b.events - a.events).slice(0, n);
  const table = (title, rows) => el("table", {className: "claims"},
    el("thead", {}, el("tr", {}, el("th", {scope: "col"}, title), el("th", {scope: "col"}, "events"),
                       el("th", {scope: "col"}, "fatalities"))),
    el("tbody", {}, rows.map(r => el("tr", {}, el("td", {}, show(r.key)),
                                    el("td", {className: "num"}, r.events),
                                    el("td", {className: "num"}, r.fatalities)))));
  $("#panel").replaceChildren(
    el("h2", {className: "overview-title"}, "This view"),
    el("p", {className: "hint"}, "Select an event on the map or in the table to read its sources."),
    el("h3", {}, "By event type"), table("event type", top(types.rows, 6)),
    el("h3", {}, "By admin1"), table("admin1", top(places.rows, 8)),
    el("h3", {}, "By actor"), table("actor", top(actors.rows, 8)));
  delete $("#panel").dataset.eventId;
}

function facts(e) {
  const rows = [["Date", e.event_date], ["Type", `${e.event_type} / ${e.sub_event_type}`],
                ["Actor 1", e.actor1], ["Actor 2", e.actor2],
                ["Place", [e.location, e.admin1, e.country].filter(Boolean).join(", ")],
                ["Fatalities", e.fatalities], ["Confidence", e.confidence],
                ["Sources", e.n_sources]];
  return el("dl", {className: "facts"}, rows.map(([k, v]) => [el("dt", {}, k), el("dd", {}, show(v))]));
}

function claimsTable(reports, eventId) {
  // One row per claim, the sources' values grouped ("12 · sources 1, 3"), so the table is
  // two columns wide however many sources there are: it fits the panel.
  const fields = ["event_date", "sub_event_type", "actor1", "actor2", "location", "admin1",
                  "fatalities", "injuries"];
  // With the token, a report that tells another incident can be split off into its own event.
  const key = el("ol", {className: "claim-sources"}, reports.map(r => el("li", {},
    show(r.outlet || r.doc_id), " ", el("small", {}, show(r.published)), " ",
    EWEdit.splitButton(eventId, r, reports.length))));
  const rows = fields.map(f => {
    const groups = new Map();
    reports.forEach((r, i) => {
      const v = JSON.stringify(r.claims[f] === undefined ? null : r.claims[f]);
      groups.set(v, [...(groups.get(v) || []), i + 1]);
    });
    const differs = groups.size > 1;
    return el("tr", {className: differs ? "differs" : null}, el("th", {scope: "row"}, f),
      el("td", {}, [...groups].map(([v, who]) => el("div", {className: "claim-value"},
        show(JSON.parse(v)),
        reports.length > 1 ? el("small", {}, ` · source${who.length > 1 ? "s" : ""} ${who.join(", ")}`) : ""))));
  });
  return el("div", {className: "claims-fit"}, key,
            el("table", {className: "claims"}, el("tbody", {}, rows)));
}

function history_(decisions) {
  return el("ol", {className: "history"}, decisions.map(d => el("li", {},
    `${d.decision}: report ${d.report_id}`,
    d.partner_report_id ? ` with ${d.partner_report_id}` : "",
    d.score !== null && d.score !== undefined ? ` (score ${Number(d.score).toFixed(2)})` : "",
    d.features && d.features.reason ? ` — ${d.features.reason}` : "")));
}

async function sourceBlock(eventId, src) {
  const head = el("p", {className: "src-head"}, el("strong", {}, show(src.outlet)), " · ",
                  show(src.published), src.url ? [" · ", el("span", {className: "url"}, src.url)] : "");
  let body;
  try {
    const doc = await getJSON(`/documents/${encodeURIComponent(src.doc_id)}`);
    body = doc.text ? articleText(doc.text, spansFor(doc, eventId, src))
                    : knownSentences(doc, eventId, src);
    if (doc.title) head.prepend(el("em", {}, doc.title), el("br"));
  } catch (err) {
    body = knownSentences({spans: []}, eventId, src);
  }
  return el("article", {className: "source"}, head, body);
}

function knownSentences(doc, eventId, src) {
  // The store keeps no article text: show the document's quoted sentences in reading order,
  // this event's highlighted, gaps marked with an ellipsis.
  const seen = new Map();
  for (const s of doc.spans) {
    if (s.quote && !seen.has(s.start)) seen.set(s.start, {start: s.start, quote: s.quote, mine: false});
    if (s.quote && s.event_id === eventId) seen.get(s.start).mine = true;
  }
  if (!seen.size || ![...seen.values()].some(s => s.mine)) {
    seen.set(src.start, {start: src.start, quote: src.quote, mine: true});
  }
  const box = el("div", {className: "article excerpt"});
  for (const s of [...seen.values()].sort((a, b) => a.start - b.start)) {
    if (box.childNodes.length || s.start > 0) box.append(el("span", {className: "gap"}, " … "));
    box.append(s.mine ? el("mark", {className: "hl"}, s.quote) : document.createTextNode(s.quote));
  }
  return box;
}

function spansFor(doc, eventId, src) {
  const mine = doc.spans.filter(s => s.event_id === eventId);
  if (mine.length) return mine.map(s => [s.start, s.end]);
  return (src.spans && src.spans.length ? src.spans : [[src.start, src.end]]);
}

function articleText(text, spans) {
  const merged = [];
  for (const [s, e] of spans.map(([a, b]) => [Math.max(0, a), Math.min(text.length, b)])
                            .filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0])) {
    if (merged.length && s <= merged[merged.length - 1][1]) {
      merged[merged.length - 1][1] = Math.max(merged[merged.length - 1][1], e);
    } else merged.push([s, e]);
  }
  const box = el("div", {className: "article"});
  let pos = 0;
  for (const [s, e] of merged) {
    if (s > pos) box.append(document.createTextNode(text.slice(pos, s)));
    box.append(el("mark", {className: "hl"}, text.slice(s, e)));
    pos = e;
  }
  if (pos < text.length) box.append(document.createTextNode(text.slice(pos)));
  return box;
}

// ---- add news --------------------------------------------------------------------------------

function setUpAddNews() {
  const dialog = $("#add-news");
  const openBtn = $("#add-news-open");
  if (!config.write_enabled) {
    openBtn.disabled = true;
    openBtn.title = "Adding news is off: start the server with --token";
  }
  openBtn.addEventListener("click", () => dialog.showModal());
  $("#add-news-close").addEventListener("click", () => dialog.close());
  $("#add-news-state").textContent = config.write_enabled
    ? "Paste an article or choose files; they are coded like `eventwire ingest`."
    : "Adding news is off on this server.";
  $("#add-news-form").addEventListener("submit", submitNews);
}

async function submitNews(ev) {
  ev.preventDefault();
  const form = ev.target;
  const out = $("#add-news-result");
  const data = new FormData(form);
  const token = data.get("token");
  data.delete("token");
  const size = [...form.files.files].reduce((n, f) => n + f.size, 0) + (data.get("text") || "").length;
  if (size > MAX_UPLOAD) { out.replaceChildren(el("p", {className: "error"}, "Too large: at most 10 MB at once.")); return; }
  out.replaceChildren(el("p", {}, "Coding…"));
  $("#add-news-submit").disabled = true;
  try {
    const r = await fetch("/ingest", {method: "POST", body: data,
                                      headers: {"Authorization": "Bearer " + token}});
    const body = await r.json().catch(() => ({error: r.statusText}));
    if (!r.ok) throw new Error(body.error || r.statusText);
    out.replaceChildren(newsResult(body));
    refresh();
  } catch (err) {
    out.replaceChildren(el("p", {className: "error"}, "Not added: " + err.message));
  } finally {
    $("#add-news-submit").disabled = false;
  }
}

function newsResult(body) {
  return el("div", {},
    el("p", {}, `${body.documents_new} new document(s), ${body.documents_skipped} already stored; ` +
                `${body.events_created} new event(s), ${body.reports_merged} report(s) merged.`),
    body.problems.length ? el("ul", {className: "error"}, body.problems.map(p => el("li", {}, p))) : "",
    el("ul", {className: "new-events"}, body.events.map(e => el("li", {},
      el("button", {type: "button", onclick: () => { $("#add-news").close(); openEvent(e.event_id); }},
         `${show(e.event_date)} · ${e.sub_event_type} · ${show(e.location)} · ${show(e.fatalities)} killed`)))));
}

document.addEventListener("DOMContentLoaded", () => {
  init().catch(err => {
    console.error(err);
    status("Dashboard failed to start: " + (err && err.message || err), true);
  });
});
