// The analyst's corrections on the dashboard (needs the server's token): an edit form in the
// event panel (type, actors, date, fatalities, place), pinning a new village by clicking the
// map, and splitting a report off an event from its "claims by source". Each write is one
// API call (PATCH /events/{id}, POST /places, POST /events/{id}/split) with a reason; text
// from the store reaches the page only through textContent and form values.
"use strict";

const EWEdit = (() => {
  let ctx = null;        // {map, el, openEvent, refresh, config}
  let token = "";        // the last token that worked, kept in memory only
  let mode = null;       // null | "pin" (a map click pins a village) | "pick" (fills the edit form)
  let pinMarker = null;

  function attach(deps) {
    ctx = deps;
    const button = document.getElementById("pin-village");
    if (!ctx.config.write_enabled) {
      button.disabled = true;
      button.title = "Pinning is off: start the server with --token";
    }
    button.addEventListener("click", () => setMode(mode === "pin" ? null : "pin"));
    ctx.map.on("click", ev => {
      if (mode === "pin") openPinDialog(ev.latlng);
      else if (mode === "pick") fillPicked(ev.latlng);
      if (mode) setMode(null);
    });
    const dialog = document.getElementById("pin-dialog");
    document.getElementById("pin-close").addEventListener("click", () => dialog.close());
    document.getElementById("pin-form").addEventListener("submit", submitPin);
  }

  function setMode(next) {
    mode = next;
    const mapEl = document.getElementById("map");
    mapEl.classList.toggle("picking", !!mode);
    if (mode) mapEl.dataset.pickMode = mode; else delete mapEl.dataset.pickMode;
    const button = document.getElementById("pin-village");
    button.setAttribute("aria-pressed", String(mode === "pin"));
    if (mode) ctx.status(mode === "pin" ? "Click the map where the village is." :
                         "Click the map where the event happened.");
    else ctx.status("");
  }

  async function send(path, method, body, tok) {
    const r = await fetch(path, {method, body: JSON.stringify(body), headers: {
      "Content-Type": "application/json", "Authorization": "Bearer " + tok}});
    const data = await r.json().catch(() => ({error: r.statusText}));
    if (!r.ok) throw new Error(data.error || data.detail || ("HTTP " + r.status));
    token = tok;
    return data;
  }

  // ---- pin a village ------------------------------------------------------------------

  function openPinDialog(latlng) {
    const form = document.getElementById("pin-form");
    form.reset();
    form.elements.latitude.value = latlng.lat.toFixed(5);
    form.elements.longitude.value = latlng.lng.toFixed(5);
    form.elements.token.value = token;
    const open = ctx.openEventId();
    const here = document.getElementById("pin-event-row");
    here.hidden = !open;
    form.elements.place_event.checked = !!open;
    document.getElementById("pin-result").replaceChildren();
    document.getElementById("pin-dialog").showModal();
    form.elements.name.focus();
  }

  async function submitPin(ev) {
    ev.preventDefault();
    const form = ev.target;
    const f = form.elements;
    const out = document.getElementById("pin-result");
    const place = {name: f.name.value.trim(), latitude: +f.latitude.value,
                   longitude: +f.longitude.value, country: f.country.value.trim(),
                   admin1: f.admin1.value.trim() || null, reason: f.reason.value};
    try {
      const made = await send("/places", "POST", place, f.token.value);
      const lines = [ctx.el("p", {}, `Pinned ${made.place.name}: later articles that name it`
                                     + " are placed here.")];
      const open = ctx.openEventId();
      if (open && f.place_event.checked) {
        await send(`/events/${encodeURIComponent(open)}`, "PATCH", {
          location: made.place.name, latitude: made.place.latitude,
          longitude: made.place.longitude, geo_precision: 1,
          ...(made.place.admin1 ? {admin1: made.place.admin1} : {}),
          reason: place.reason}, f.token.value);
        lines.push(ctx.el("p", {}, "The open event is placed there too."));
        ctx.openEvent(open);
        ctx.refresh();
      }
      if (pinMarker) ctx.map.removeLayer(pinMarker);
      pinMarker = L.circleMarker([made.place.latitude, made.place.longitude],
                                 {radius: 7, color: "#111", weight: 2, fillOpacity: 0})
        .bindTooltip(made.place.name).addTo(ctx.map);
      out.replaceChildren(...lines);
      out.dataset.pinned = made.place.name;
    } catch (err) {
      out.replaceChildren(ctx.el("p", {className: "error"}, "Not pinned: " + err.message));
    }
  }

  // ---- correct an event ---------------------------------------------------------------

  const FIELDS = ["event_date", "sub_event_type", "actor1", "actor2", "fatalities",
                  "location", "admin1", "country", "latitude", "longitude"];

  function correctionForm(e) {
    const el = ctx.el;
    if (!ctx.config.write_enabled) return "";
    const types = ctx.config.sub_event_types || {};
    const byType = {};
    for (const [sub, type] of Object.entries(types)) (byType[type] = byType[type] || []).push(sub);
    const select = el("select", {name: "sub_event_type"},
      Object.keys(byType).sort().map(t => el("optgroup", {label: t},
        byType[t].sort().map(s => el("option", {value: s}, s)))));
    const field = (label, input) => el("label", {}, label, input);
    const text = (name, extra) => el("input", {type: "text", name, maxlength: 300, ...extra});
    const form = el("form", {id: "edit-form", className: "edit-form"},
      field("Date", el("input", {type: "date", name: "event_date"})),
      field("Sub-event type", select),
      field("Actor 1", text("actor1", {list: "actor-options"})),
      field("Actor 2", text("actor2", {list: "actor-options"})),
      field("Fatalities", el("input", {type: "number", name: "fatalities", min: 0, max: 100000})),
      field("Location", text("location", {list: "location-options"})),
      el("button", {type: "button", id: "edit-find", onclick: () => findPlaces(form)},
         "Find in gazetteer"),
      el("div", {id: "edit-places", className: "place-picks"}),
      field("Admin1", text("admin1", {list: "admin1-options"})),
      field("Country", text("country", {maxlength: 100})),
      field("Latitude", el("input", {type: "number", name: "latitude", step: "any", min: -90, max: 90})),
      field("Longitude", el("input", {type: "number", name: "longitude", step: "any", min: -180, max: 180})),
      el("button", {type: "button", id: "edit-pick", onclick: () => setMode("pick")}, "Pick on map"),
      field("Reason", text("reason", {required: true, maxlength: 1000})),
      field("Token", el("input", {type: "password", name: "token", autocomplete: "off", required: true})),
      el("button", {type: "submit", id: "edit-save"}, "Save correction"),
      el("div", {id: "edit-result", "aria-live": "polite"}));
    for (const f of FIELDS) {
      const v = e[f];
      form.elements[f].value = v === null || v === undefined ? "" : String(v);
      form.elements[f].dataset.was = form.elements[f].value;
    }
    form.elements.token.value = token;
    form.addEventListener("submit", ev => { ev.preventDefault(); submitCorrection(form, e.event_id); });
    return el("div", {className: "edits"},
              el("details", {className: "edit", id: "edit-event"},
                 el("summary", {}, "Correct this event"), form),
              aliasForm(e));
  }

  // ---- teach an actor alias: a name reports use for a dictionary actor ------------------

  function aliasForm(e) {
    const el = ctx.el;
    const form = el("form", {id: "alias-form", className: "edit-form"},
      el("label", {}, "Name in the reports", el("input", {type: "text", name: "alias", required: true, maxlength: 300})),
      el("label", {}, "Is the actor", el("input", {type: "text", name: "actor", required: true,
                                                    list: "actor-options", maxlength: 300})),
      el("label", {}, "Reason", el("input", {type: "text", name: "reason", required: true, maxlength: 1000})),
      el("label", {}, "Token", el("input", {type: "password", name: "token", autocomplete: "off", required: true})),
      el("button", {type: "submit", id: "alias-save"}, "Teach the alias"),
      el("div", {id: "alias-result", "aria-live": "polite"}));
    form.elements.actor.value = e.actor1 || "";
    form.elements.token.value = token;
    form.addEventListener("submit", async ev => {
      ev.preventDefault();
      const f = form.elements;
      const out = document.getElementById("alias-result");
      try {
        const made = await send("/actors/aliases", "POST", {alias: f.alias.value.trim(),
          actor: f.actor.value.trim(), reason: f.reason.value}, f.token.value);
        const actor = made.name.replace(" ({country})", "").replace("{country}", "its country");
        out.replaceChildren(el("p", {}, `“${made.alias}” now names ${actor}: the actor`
                                        + " filter and every later ingest know it."));
        out.dataset.taught = made.actor;
      } catch (err) {
        out.replaceChildren(el("p", {className: "error"}, "Not taught: " + err.message));
      }
    });
    return el("details", {className: "edit", id: "teach-alias"},
              el("summary", {}, "Teach an actor alias"), form);
  }

  async function findPlaces(form) {
    // The gazetteer's entries of the typed name: choosing one sets the place and its point.
    const holder = document.getElementById("edit-places");
    const name = form.elements.location.value.trim();
    if (!name) return;
    try {
      const r = await fetch("/places?" + new URLSearchParams({name}), {headers: {Accept: "application/json"}});
      const data = await r.json();
      if (!r.ok) throw new Error(data.error || r.statusText);
      holder.replaceChildren(...(data.places.length ? data.places.map(p => ctx.el("button", {
        type: "button", className: "place-pick", onclick: () => {
          form.elements.location.value = p.name;
          form.elements.admin1.value = p.admin1 || "";
          form.elements.country.value = p.country || "";
          form.elements.latitude.value = String(p.latitude);
          form.elements.longitude.value = String(p.longitude);
          holder.replaceChildren();
        }}, [p.name, p.admin2, p.admin1, p.country].filter(Boolean).join(", ")))
        : [ctx.el("p", {className: "hint"}, "The gazetteer has no place of that name: pin it on the map.")]));
    } catch (err) {
      holder.replaceChildren(ctx.el("p", {className: "error"}, err.message));
    }
  }

  function fillPicked(latlng) {
    const form = document.getElementById("edit-form");
    if (!form) return;
    form.elements.latitude.value = latlng.lat.toFixed(5);
    form.elements.longitude.value = latlng.lng.toFixed(5);
  }

  async function submitCorrection(form, eventId) {
    const f = form.elements;
    const body = {reason: f.reason.value};
    for (const name of FIELDS) {
      const input = f[name];
      if (input.value === input.dataset.was) continue;
      const v = input.value.trim();
      body[name] = ["fatalities", "latitude", "longitude"].includes(name)
        ? (v === "" ? null : Number(v)) : (v || null);
    }
    if ("latitude" in body || "longitude" in body) {
      body.latitude = f.latitude.value === "" ? null : Number(f.latitude.value);
      body.longitude = f.longitude.value === "" ? null : Number(f.longitude.value);
      if (body.latitude !== null) body.geo_precision = 1;
    }
    const out = document.getElementById("edit-result");
    if (Object.keys(body).length === 1) {
      out.replaceChildren(ctx.el("p", {className: "error"}, "Nothing changed."));
      return;
    }
    try {
      await send(`/events/${encodeURIComponent(eventId)}`, "PATCH", body, f.token.value);
      await ctx.openEvent(eventId);
      ctx.refresh();
      const again = document.getElementById("panel-status");
      if (again) again.textContent = "Correction saved.";
    } catch (err) {
      out.replaceChildren(ctx.el("p", {className: "error"}, "Not saved: " + err.message));
    }
  }

  // ---- split a report off -------------------------------------------------------------

  function splitButton(eventId, report, count) {
    if (!ctx.config.write_enabled || count < 2) return "";
    return ctx.el("button", {type: "button", className: "split", dataset: {reportId: report.report_id},
                             onclick: () => openSplitForm(eventId, report)}, "Split off");
  }

  function openSplitForm(eventId, report) {
    const el = ctx.el;
    const old = document.getElementById("split-form");
    if (old) old.remove();
    const form = el("form", {id: "split-form", className: "edit-form"},
      el("p", {className: "hint"}, `Make ${report.outlet || report.doc_id}'s report an event of its own.`),
      el("label", {}, "Reason", el("input", {type: "text", name: "reason", required: true, maxlength: 1000})),
      el("label", {}, "Token", el("input", {type: "password", name: "token", autocomplete: "off", required: true})),
      el("button", {type: "submit", id: "split-submit"}, "Split"),
      el("button", {type: "button", onclick: () => form.remove()}, "Cancel"),
      el("div", {id: "split-result", "aria-live": "polite"}));
    form.elements.token.value = token;
    form.addEventListener("submit", ev => { ev.preventDefault(); splitReport(form, eventId, report); });
    document.querySelector("#panel .claims-fit").before(form);
    form.elements.reason.focus();
  }

  async function splitReport(form, eventId, report) {
    try {
      const made = await send(`/events/${encodeURIComponent(eventId)}/split`, "POST",
                              {report_ids: [report.report_id], reason: form.elements.reason.value},
                              form.elements.token.value);
      await ctx.openEvent(made.event_id);
      ctx.refresh();
      const again = document.getElementById("panel-status");
      if (again) again.textContent = `Split off from ${eventId}.`;
    } catch (err) {
      document.getElementById("split-result").replaceChildren(
        ctx.el("p", {className: "error"}, "Not split: " + err.message));
    }
  }

  return {attach, correctionForm, splitButton};
})();
