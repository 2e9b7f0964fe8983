// The header and the controls around the panes: connection status, the error banner, the
// theme and notification toggles, the "Fork in" setting, the filters, and the pane tabs
// used on narrow screens.

import { state } from "../store.js";
import { $, setText, setHidden } from "./h.js";

const CONN_TEXT = { connecting: "connecting…", live: "live", offline: "offline" };

export function renderConn() {
  const { status, detail } = state.conn;
  const el = $("conn");
  el.className = "conn " + status;
  setText($("conn-text"), CONN_TEXT[status] || status);
  el.title = status === "live" ? "Live updates are on"
    : status === "offline" ? "Live updates are off (" + (detail || "reconnecting") + "); the page refreshes every few seconds meanwhile"
    : "Connecting to the live stream";
}

export function showBanner(text) {
  const b = $("banner");
  b.textContent = text;
  b.hidden = false;
}

/** Marks the first load as done (the browser tests wait for it). */
export function markReady() {
  document.documentElement.dataset.ready = "true";
}

export function hideBanner() {
  $("banner").hidden = true;
}

// --- theme: auto follows prefers-color-scheme; a choice is remembered in this browser ---

const THEMES = ["auto", "light", "dark"];

export function applyTheme(theme) {
  const t = THEMES.includes(theme) ? theme : "auto";
  if (t === "auto") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = t;
  $("theme-toggle").textContent = "Theme: " + t;
  return t;
}

export function nextTheme(current) {
  return THEMES[(THEMES.indexOf(current) + 1) % THEMES.length];
}

export function renderNotifyToggle(on, note = "") {
  const b = $("notify-toggle");
  b.setAttribute("aria-pressed", String(on));
  b.textContent = "Notify: " + (on ? "on" : "off");
  b.title = note || "Browser notifications when an agent needs you";
}

export function renderSettings() {
  const v = state.settings.terminal_app;
  if (v) $("terminal-app").value = v;
}

export function renderFilters() {
  const f = state.filters;
  setHidden($("date-range"), f.time !== "custom");
  for (const [id, key] of [["f-time", "time"], ["f-priority", "priority"], ["f-kind", "kind"], ["f-state", "state"]]) {
    if ($(id).value !== f[key]) $(id).value = f[key];
  }
}

/** Narrow screens show one pane at a time; the tabs pick it. */
export function showPane(id) {
  $("layout").dataset.pane = id;
  for (const b of $("tabs").querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.pane === id));
}

/** Wires the header controls to handlers: { filter(key, value), search(q), theme(), notify(), terminal(v), cleanup(), help(), eventSearch(q), more() } */
export function bindHeader(on) {
  let qTimer = 0;
  $("q").addEventListener("input", ev => {
    clearTimeout(qTimer);
    const v = ev.target.value;
    qTimer = setTimeout(() => on.filter("q", v.trim()), 120);
  });
  for (const [id, key] of [["f-time", "time"], ["f-priority", "priority"], ["f-kind", "kind"], ["f-state", "state"], ["f-from", "from"], ["f-to", "to"]]) {
    $(id).addEventListener("change", ev => on.filter(key, ev.target.value));
  }
  $("theme-toggle").addEventListener("click", on.theme);
  $("notify-toggle").addEventListener("click", on.notify);
  $("terminal-app").addEventListener("change", ev => on.terminal(ev.target.value));
  $("cleanup").addEventListener("click", on.cleanup);
  $("help-toggle").addEventListener("click", on.help);
  $("more").addEventListener("click", on.more);
  $("event-search").addEventListener("submit", ev => {
    ev.preventDefault();
    on.eventSearch($("eq").value.trim());
  });
  $("tabs").addEventListener("click", ev => {
    const b = ev.target.closest("button[data-pane]");
    if (b) showPane(b.dataset.pane);
  });
}
