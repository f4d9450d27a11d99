// The phone page, better with JavaScript: ballots go to the JSON API and are retried with the
// same request until the server answers (the ✓ only after its 200: a retry stores the ballot
// once, the server replaces it with itself); the voting part follows the facilitator by long
// polling (one request held up to 25 s, answered at once when something changes).
// Without this file every form still works (plain POST, redirect, GET).
(function () {
  "use strict";
  const meta = document.querySelector('meta[name="mk-voter"]');
  const token = meta ? meta.content : "";
  const headers = { "X-Voter-Token": token };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  let sending = 0; // ballots waiting for the server's answer

  document.addEventListener("htmx:configRequest", (e) => {
    e.detail.headers["X-Voter-Token"] = token;
  });

  function live() { return document.getElementById("live"); }

  function swapLive(html) {
    const old = live();
    if (!old) return;
    const tpl = document.createElement("template");
    tpl.innerHTML = html.trim();
    const fresh = tpl.content.firstElementChild;
    if (!fresh) return;
    old.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
  }

  async function refresh() {
    // The voting part as the server has it now (e.g. points left after a dots ballot).
    const el = live();
    if (!el) return;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const r = await fetch(el.dataset.live, { headers, credentials: "same-origin", cache: "no-store" });
        if (r.ok && r.status === 200) { swapLive(await r.text()); return; }
      } catch (e) { /* offline: try again */ }
      await sleep(1000 * (attempt + 1));
    }
  }

  async function follow() {
    for (;;) {
      const el = live();
      if (!el) return;
      const url = el.dataset.live + "&after=" + encodeURIComponent(el.dataset.revision);
      try {
        const r = await fetch(url, { headers, credentials: "same-origin", cache: "no-store" });
        if (r.headers.get("X-Reload")) { location.reload(); return; }
        if (r.status === 200) {
          const html = await r.text();
          if (sending === 0) swapLive(html); else await sleep(300);
        } else if (r.status !== 204 || r.headers.get("X-Retry")) {
          await sleep(2000);
        }
      } catch (e) {
        await sleep(2000); // offline or the server restarts: keep trying
      }
    }
  }

  function showSaved(form, body, label) {
    const status = form.querySelector(".status");
    form.querySelectorAll("button[aria-pressed]").forEach((b) => {
      const on = body.skip ? b.classList.contains("skip")
        : !b.classList.contains("skip") && b.value === String(body.value);
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
    if (!status) return;
    status.classList.remove("pending", "error");
    if (body.ranking) status.textContent = "✓";
    else if (body.skip) status.textContent = status.dataset.savedSkip;
    else status.textContent = status.dataset.saved.replace("{value}", label);
  }

  async function send(form, body, label, button, url) {
    const el = live();
    const status = form.querySelector(".status");
    const say = (text, cls) => { if (status) { status.className = "status " + cls; status.textContent = text; } };
    say(el.dataset.sending, "pending");
    if (button) button.setAttribute("aria-busy", "true");
    sending++;
    let delay = 500;
    try {
      for (;;) {
        let r = null;
        try {
          r = await fetch(url || el.dataset.api, {
            method: "POST", credentials: "same-origin", cache: "no-store",
            headers: { ...headers, "Content-Type": "application/json" },
            body: JSON.stringify(body),
          });
        } catch (e) { r = null; }
        if (r && r.status === 200) { showSaved(form, body, label); break; }
        if (r && r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
          let msg = "";
          try { msg = (await r.json()).message; } catch (e) { msg = String(r.status); }
          say(msg, "error");
          return;
        }
        say(el.dataset.retrying, "pending"); // offline, lost answer, 5xx: the same request again
        await sleep(delay);
        delay = Math.min(delay * 2, 4000);
      }
    } finally {
      sending--;
      if (button) button.removeAttribute("aria-busy");
    }
    refresh();
  }

  document.addEventListener("submit", (e) => {
    const form = e.target;
    if (!form.classList || !form.classList.contains("ballot")) return;
    e.preventDefault();
    const btn = e.submitter;
    let body, label = "", url = null;
    if (form.classList.contains("pair")) {
      // A matrix session's pair: the JSON API, then the next pair (refresh) after the 200.
      body = { item_id: Number(form.dataset.item), from_node: form.dataset.from, to_node: form.dataset.to };
      const note = form.querySelector("input[name=rationale]");
      if (note && note.value.trim()) body.rationale = note.value.trim();
      if (btn && btn.name === "skip") body.skip = true;
      else if (btn && btn.name === "value") { body.value = Number(btn.value); label = btn.dataset.label; }
      else return; // Enter in the rationale field: wait for a score or skip
      url = live().dataset.pairApi;
    } else if (form.dataset.ranking) {
      const ids = [...form.querySelectorAll("select[name=rank]")].map((s) => s.value).filter(Boolean);
      body = { ranking: ids.map(Number) };
    } else {
      const item = Number(form.dataset.item);
      if (btn && btn.name === "skip") body = { item_id: item, skip: true };
      else if (btn && btn.name === "value") { body = { item_id: item, value: Number(btn.value) }; label = btn.dataset.label; }
      else {
        const input = form.querySelector("input[name=value]");
        const v = Number(input.value);
        body = { item_id: item, value: Number.isInteger(v) ? v : -1 };
        label = input.value;
      }
    }
    send(form, body, label, btn, url);
  });

  if (live()) follow();
})();
