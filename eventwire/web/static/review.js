// The review queue by keyboard: j/k move, a accepts, c opens the correction form.
// Text from the store is only ever set with textContent: it stays inert.
(function () {
  "use strict";
  const items = Array.from(document.querySelectorAll(".review-item"));
  const status = document.getElementById("review-status");
  let current = 0;

  function say(text, error) {
    status.textContent = text;
    status.className = error ? "error" : "";
  }

  function select(n) {
    if (!items.length) return;
    current = Math.max(0, Math.min(items.length - 1, n));
    items.forEach((el, i) => el.classList.toggle("selected", i === current));
    items[current].focus();
    items[current].scrollIntoView({block: "nearest"});
  }

  function token() {
    const field = document.getElementById("review-token");
    return field ? field.value : "";
  }

  async function send(path, method, body) {
    const r = await fetch(path, {method: method, body: JSON.stringify(body),
      headers: {"Content-Type": "application/json", "Authorization": "Bearer " + token()}});
    const data = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(data.error || ("HTTP " + r.status));
    return data;
  }

  function done(item, text) {
    item.classList.add("reviewed");
    item.dataset.reviewed = "1";
    say(text);
    select(current + 1);
  }

  async function accept(item) {
    try {
      await send("/events/" + encodeURIComponent(item.dataset.eventId) + "/accept", "POST", {});
      done(item, "Accepted " + item.dataset.eventId);
    } catch (err) { say(err.message, true); }
  }

  function openForm(item) {
    const form = item.querySelector(".review-form");
    form.hidden = false;
    form.querySelector("input").focus();
  }

  items.forEach((item) => {
    const form = item.querySelector(".review-form");
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const data = new FormData(form);
      const body = {reason: data.get("reason")};
      const fat = data.get("fatalities");
      if (fat !== "") body.fatalities = parseInt(fat, 10);
      for (const f of ["location", "actor1"]) {
        const input = form.querySelector("[name=" + f + "]");
        if (input.value !== input.defaultValue) body[f] = input.value;
      }
      try {
        await send("/events/" + encodeURIComponent(item.dataset.eventId), "PATCH", body);
        form.hidden = true;
        done(item, "Corrected " + item.dataset.eventId);
      } catch (err) { say(err.message, true); }
    });
    form.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") { form.hidden = true; items[current].focus(); }
      ev.stopPropagation();
    });
  });

  document.addEventListener("keydown", (ev) => {
    if (ev.target.tagName === "INPUT" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const item = items[current];
    if (ev.key === "j") select(current + 1);
    else if (ev.key === "k") select(current - 1);
    else if (ev.key === "a" && item) accept(item);
    else if (ev.key === "c" && item) { ev.preventDefault(); openForm(item); }
  });
  select(0);
})();
