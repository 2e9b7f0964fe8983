// Wires the dashboard together: takes the token from the address, authenticates (which also
// sets the cookie the WebSocket needs), starts the sync with the server (sync.js), and connects
// the views' delegated listeners and the keyboard to actions.

import { takeTokenFromUrl, token, forgetToken, startCookieSession, setUnauthorizedHandler } from "./api.js";
import { startLive } from "./live.js";
import * as store from "./store.js";
import { state, subscribe, changed } from "./store.js";
import * as actions from "./actions.js";
import { loadAll, refetchFiltered, onLive, poll } from "./sync.js";
import { $, saveFile } from "./views/h.js";
import { renderSessions, bindSessions } from "./views/sessions.js";
import { renderApprovals, bindApprovals } from "./views/approvals.js";
import { renderFeed, renderSearch, bindFeed } from "./views/feed.js";
import { renderCost } from "./views/chart.js";
import { renderDetail, bindDetail } from "./views/detail.js";
import { bindCheckpoints } from "./views/checkpoints.js";
import { showAuth, hideAuth } from "./views/auth.js";
import { toast } from "./views/toasts.js";
import { renderAttention, primeAttention, notificationsSupported } from "./views/attention.js";
import { bindKeys } from "./views/keys.js";
import * as header from "./views/header.js";

const POLL_MS = 8000;
let live = null;
let stopped = false;

// --- notifications and theme are per-browser choices ---

const prefs = {
  get notify() { return localStorage.getItem("uvs.notify") === "on"; },
  set notify(v) { localStorage.setItem("uvs.notify", v ? "on" : "off"); },
  get theme() { return localStorage.getItem("uvs.theme") || "auto"; },
  set theme(v) { localStorage.setItem("uvs.theme", v); },
};

async function toggleNotify() {
  if (!notificationsSupported()) {
    toast("This browser has no notifications; the tab title still shows (N) when agents wait", "err");
    return;
  }
  if (prefs.notify) {
    prefs.notify = false;
  } else {
    const permission = Notification.permission === "default" ? await Notification.requestPermission() : Notification.permission;
    if (permission !== "granted") {
      toast("Notifications are blocked for this site; allow them in the browser's site settings", "err");
      prefs.notify = false;
    } else {
      prefs.notify = true;
      toast("Notifications on: one per request that needs you");
    }
  }
  header.renderNotifyToggle(prefs.notify);
}

function onLiveStatus(status, detail) {
  store.setConn(status, detail);
}

// --- authentication ---

function unauthorized(reason) {
  if (stopped) return;
  stopped = true;
  state.authed = false;
  if (live) live.stop();
  forgetToken();
  showAuth(reason);
}

async function authenticate() {
  for (let attempt = 0; ; attempt++) {
    try {
      // also works with no token in this tab when the browser still holds the cookie from an earlier visit
      await startCookieSession();
      return true;
    } catch (e) {
      if (e.status === 401) {
        unauthorized(token()
          ? "The server refused the token this page was opened with (it may have a new one)."
          : "This page was opened without the install token.");
        return false;
      }
      if (e.status !== 0) {
        header.showBanner("Signing in failed: " + e.message);
        return true; // reads may still work; actions will show their own errors
      }
      header.showBanner("Cannot reach Watchtower at " + location.host + ". Retrying…");
      await new Promise(r => setTimeout(r, Math.min(10000, 1000 * 2 ** attempt)));
    }
  }
}

// --- wiring ---

function wire() {
  // nothing needs every frame of a burst: each redraw costs a paint, so the list, chart and
  // feed are redrawn a few times a second at most (approvals and the title at once)
  subscribe(["sessions", "filters"], renderSessions, 250);
  subscribe(["sessions", "filters"], renderCost, 1000);
  subscribe(["approvals", "sessions", "attention"], renderApprovals);
  subscribe(["approvals", "sessions", "attention"], () => renderAttention(prefs.notify));
  subscribe(["feed", "sessions"], renderFeed, 150);
  subscribe(["search"], renderSearch);
  subscribe(["detail"], renderDetail);
  subscribe(["conn"], header.renderConn);
  subscribe(["settings"], header.renderSettings);
  subscribe(["filters"], header.renderFilters);

  bindSessions((action, id) => {
    switch (action) {
      case "toggle":
        state.toggled.has(id) ? state.toggled.delete(id) : state.toggled.add(id);
        changed("sessions");
        break;
      case "open": return actions.openSession(id);
      case "checkpoint": return actions.checkpoint(id);
      case "history": return actions.showHistory(id);
      case "compact": return actions.compact(id);
      case "fork": return actions.fork(id);
      case "close": return actions.closeSession(id);
      case "delete": return actions.deleteSession(id);
      case "export": return actions.exportSession(id, saveFile);
    }
  });
  bindApprovals((action, approvalId, sessionId) => {
    if (action === "approve" || action === "deny") return actions.decide(approvalId, action);
    if (action === "open") return actions.openSession(sessionId);
  });
  bindFeed((action, sessionId) => {
    if (action === "open" && sessionId) return actions.openSession(sessionId);
    if (action === "clear-search") {
      $("eq").value = "";
      return actions.searchEvents("");
    }
  });
  bindDetail((action, id, el) => {
    switch (action) {
      case "close-panel": return actions.closeSessionPanel();
      case "older": return actions.loadOlder(id);
      case "show-checkpoint": return actions.showHistory(id, el.dataset.name);
      case "send": return actions.sendInput(id);
      case "checkpoint": return actions.checkpoint(id);
      case "history": return actions.showHistory(id);
      case "compact": return actions.compact(id);
      case "fork": return actions.fork(id);
      case "close": return actions.closeSession(id);
      case "delete": return actions.deleteSession(id);
      case "export": return actions.exportSession(id, saveFile);
    }
  });
  bindCheckpoints({ select: actions.selectCheckpoint, create: actions.checkpointFromModal, close: actions.closeHistory });
  header.bindHeader({
    filter(key, value) {
      store.setFilter(key, value);
      refetchFiltered();
    },
    theme() {
      prefs.theme = header.applyTheme(header.nextTheme(prefs.theme));
    },
    notify: toggleNotify,
    terminal: actions.saveTerminal,
    cleanup: actions.cleanupAll,
    help: () => $("help").showModal(),
    more() {
      state.showLimit += 150;
      changed("sessions");
    },
    eventSearch: actions.searchEvents,
  });
  bindKeys({
    decide: actions.decide,
    open: actions.openSession,
    closePanel: actions.closeSessionPanel,
    help: () => $("help").showModal(),
    firstApproval() {
      header.showPane("approvals-pane");
      const first = $("approvals").firstElementChild;
      if (first) first.focus();
    },
  });
}

async function boot() {
  header.applyTheme(prefs.theme);
  header.renderNotifyToggle(prefs.notify);
  takeTokenFromUrl();
  wire();
  changed("conn", "filters");
  if (!(await authenticate())) return;
  setUnauthorizedHandler(() => unauthorized("The server asked for the install token again (it may have a new one)."));
  hideAuth();
  state.authed = true;
  try {
    await loadAll();
  } catch (e) {
    if (e.status === 401) return;
    header.showBanner("Cannot load from Watchtower: " + e.message);
  }
  primeAttention();
  header.markReady();
  live = startLive({ onMessage: onLive, onStatus: onLiveStatus });
  setInterval(poll, POLL_MS);
  // ages ("3m ago", "waiting 2m") move on by themselves
  setInterval(() => changed("sessions", "approvals", "detail"), 15000);
}

boot();
