// eventwire map helpers: clusters coloured by their dominant event type, a view that fits
// the bulk of the events (not the odd mis-placed one far away), the shaded admin areas
// (choropleth) and the time player. app.js wires them to the page's state.
"use strict";

const EWMap = (() => {
  // The bounds of the points' bulk: the 5th-95th percentile box of latitudes and
  // longitudes, widened by its own size on each side; points beyond that (an event put in
  // Idaho or Tunisia by a namesake) are left out of the fit and counted.
  function robustBounds(latlngs) {
    if (!latlngs.length) return null;
    const q = (xs, p) => xs[Math.min(xs.length - 1, Math.max(0, Math.round(p * (xs.length - 1))))];
    const lats = latlngs.map(p => p[0]).sort((a, b) => a - b);
    const lons = latlngs.map(p => p[1]).sort((a, b) => a - b);
    const [la0, la1, lo0, lo1] = [q(lats, 0.05), q(lats, 0.95), q(lons, 0.05), q(lons, 0.95)];
    const dLa = Math.max(0.5, la1 - la0), dLo = Math.max(0.5, lo1 - lo0);
    const inside = latlngs.filter(([la, lo]) => la >= la0 - dLa && la <= la1 + dLa
                                             && lo >= lo0 - dLo && lo <= lo1 + dLo);
    const kept = inside.length ? inside : latlngs;
    return {bounds: L.latLngBounds(kept), outliers: latlngs.length - kept.length};
  }

  function dominantType(markers) {
    const tally = new Map();
    for (const m of markers) tally.set(m.options.eventType, (tally.get(m.options.eventType) || 0) + 1);
    let best = null, n = -1;
    for (const [t, c] of tally) if (c > n || (c === n && String(t) < String(best))) { best = t; n = c; }
    return best;
  }

  function clusterIcon(colours) {
    return cluster => {
      const markers = cluster.getAllChildMarkers();
      const type = dominantType(markers);
      const count = cluster.getChildCount();
      const size = count < 10 ? 30 : count < 100 ? 38 : 46;
      const dot = document.createElement("span");
      dot.className = "ew-cluster-dot";
      dot.style.background = colours[type] || "#555";
      dot.style.width = dot.style.height = size + "px";
      dot.dataset.dominantType = type || "";
      dot.textContent = String(count);
      dot.title = `${count} events, mostly ${type}`;
      return L.divIcon({html: dot, className: "ew-cluster marker-cluster", iconSize: [size, size]});
    };
  }

  // ---- choropleth --------------------------------------------------------------------------

  // browns: apart from every event-type colour of the legend
  const SHADES = ["#f6f1e9", "#e3d5c1", "#c9b08f", "#a78862", "#7d5e3c", "#54391f"];

  function shadeOf(count, max) {
    if (!count) return null;
    const t = Math.log1p(count) / Math.log1p(Math.max(1, max));
    return SHADES[Math.min(SHADES.length - 1, 1 + Math.floor(t * (SHADES.length - 1.001)))];
  }

  // counts: Map "name" -> events. Returns the layer (interactive: each area says its count).
  function choropleth(geojson, counts, level) {
    const max = Math.max(0, ...counts.values());
    return L.geoJSON(geojson, {
      pane: "choropleth",
      filter: f => counts.has(f.properties.name) || level === "admin1",
      style: f => {
        const fill = shadeOf(counts.get(f.properties.name), max);
        return {color: "#8d6e63", weight: 0.6, fillColor: fill || "#ffffff",
                fillOpacity: fill ? 0.65 : 0.05};
      },
      onEachFeature: (f, layer) => {
        const n = counts.get(f.properties.name) || 0;
        const label = document.createElement("span");
        label.textContent = `${f.properties.name}: ${n} event${n === 1 ? "" : "s"}`;
        layer.bindTooltip(label, {sticky: true});
        layer.on("add", () => {
          const path = layer.getElement && layer.getElement();
          if (path) { path.dataset.area = f.properties.name; path.dataset.events = String(n); }
        });
      },
    });
  }

  function shadeLegend(max) {
    const ul = document.createElement("ul");
    ul.className = "shade-legend";
    const steps = [1, Math.round(Math.sqrt(max)), max].filter((v, i, a) => v > 0 && a.indexOf(v) === i);
    for (const v of steps) {
      const li = document.createElement("li");
      const sw = document.createElement("span");
      sw.className = "sw sq";
      sw.style.background = shadeOf(v, max);
      li.append(sw, `${v}`);
      ul.append(li);
    }
    return ul;
  }

  return {robustBounds, clusterIcon, dominantType, choropleth, shadeLegend};
})();
