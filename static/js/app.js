// Wires the dashboard together: takes the token from the address, authenticates (which also
// sets the cookie the WebSocket needs), loads sessions, approvals and recent events, follows
// /live (resyncing from its snapshot after every reconnect), and connects views to actions.
// While the live stream is down the page refreshes over plain HTTP every few seconds.

import { api, takeTokenFromUrl, token, forgetToken, startCookieSession, setUnauthorizedHandler } from "./api.js";
import { startLive } from "./live.js";
import * as store from "./store.js";
import { state, subscribe, changed, sinceMillis } from "./store.js";
import * as actions from "./actions.js";
import { toApiStamp } from "./format.js";
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
const REFETCH_MS = 700;
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

// --- loading ---

function serverFilters() {
  const f = state.filters;
  const since = sinceMillis(f);
  return { q: f.q, kind: f.kind, priority: f.priority, state: f.state, since: since == null ? null : toApiStamp(since), limit: 1000 };
}

async function loadAll() {
  const [sessions, pending, events, settings] = await Promise.all([
    api.sessions({ limit: 1000 }),
    api.approvals("pending"),
    api.recentEvents(100),
    api.settings().catch(() => ({})),
  ]);
  store.setSessions(sessions, { replace: true });
  store.setApprovals(pending);
  store.replaceFeed(events);
  state.settings = settings || {};
  changed("settings");
  header.hideBanner();
}

/** With filters set, ask the server too: the first 1000 sessions may not hold every match. */
let filterTimer = 0;
function refetchFiltered() {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(async () => {
    const params = serverFilters();
    if (Object.entries(params).every(([k, v]) => k === "limit" || v == null || v === "" || v === "all")) return;
    try {
      store.setSessions(await api.sessions(params));
    } catch (e) {
      if (e.status !== 401) toast("Filtering on the server failed: " + e.message, "err");
    }
  }, 250);
}

// --- live updates: coalesce per-session refetches so a burst costs a few requests ---

const staleSessions = new Set();
let staleTimer = 0;
let approvalsTimer = 0;
let detailTimer = 0;

function refetchSession(id) {
  if (!id) return;
  staleSessions.add(id);
  if (!staleTimer) staleTimer = setTimeout(flushStale, REFETCH_MS);
}

async function flushStale() {
  staleTimer = 0;
  const ids = [...staleSessions];
  staleSessions.clear();
  try {
    if (ids.length > 20) {
      store.setSessions(await api.sessions({ limit: 1000 }));
      return;
    }
    await Promise.all(ids.map(async id => {
      try {
        store.mergeSession(id, await api.session(id));
      } catch (e) {
        if (e.status === 404) store.removeSession(id);
      }
    }));
  } catch {
    // the next event or poll tries again
  }
}

function refetchApprovalsSoon() {
  if (!approvalsTimer) approvalsTimer = setTimeout(() => { approvalsTimer = 0; actions.refreshApprovals(); }, 300);
}

function refetchDetailSoon(id) {
  if (!state.detail || state.detail.id !== id || detailTimer) return;
  detailTimer = setTimeout(() => { detailTimer = 0; if (state.detail) actions.reloadDetailEvents(state.detail.id); }, 1000);
}

function onLive(msg) {
  switch (msg.type) {
    case "snapshot":
      store.setSessions(msg.sessions || [], { replace: true });
      // a reconnect may follow a server restart: approvals and the feed are resynced too
      actions.refreshApprovals();
      api.recentEvents(100).then(store.replaceFeed, () => {});
      refetchFiltered();
      if (state.detail) actions.reloadDetailEvents(state.detail.id);
      header.hideBanner();
      break;
    case "event": {
      store.pushEvents([msg]);
      const s = state.sessions.get(msg.session_id);
      if (s) {
        store.mergeSession(msg.session_id, {
          last_event_at: msg.created_at || s.last_event_at,
          tool_calls: (Number(s.tool_calls) || 0) + (msg.tool_name ? 1 : 0),
          event_count: (Number(s.event_count) || 0) + 1,
        });
      }
      refetchSession(msg.session_id); // new session, or its state and tokens moved
      refetchDetailSoon(msg.session_id);
      break;
    }
    case "approval":
      if (msg.id == null) break;
      if (msg.status && msg.status !== "pending") {
        store.dropApproval(msg.id);
      } else {
        store.putApproval({ id: msg.id, session_id: msg.session_id, tool_name: msg.tool_name, command: msg.command,
          created_at: state.approvals.get(Number(msg.id))?.created_at || toApiStamp(Date.now()) });
        refetchApprovalsSoon(); // for the request (tool_input) the card shows
      }
      refetchSession(msg.session_id);
      break;
    case "session": {
      const id = msg.session_id || (msg.session && msg.session.id);
      if (!id) break;
      const { type, session_id, session, ok, ...fields } = msg;
      if (state.sessions.has(id)) store.mergeSession(id, { ...(session || {}), ...fields });
      refetchSession(id);
      break;
    }
    case "checkpoint":
      actions.checkpointChanged(msg.session_id);
      break;
    case "session_deleted":
      if (msg.session_id) store.removeSession(msg.session_id);
      break;
    case "cleanup":
      store.clearAll();
      store.replaceFeed([]);
      break;
  }
}

function onLiveStatus(status, detail) {
  store.setConn(status, detail);
}

/** While the stream is down, keep the page useful over plain HTTP. */
async function poll() {
  if (stopped || state.conn.status === "live" || document.visibilityState !== "visible") return;
  try {
    await loadAll();
    refetchFiltered();
  } catch (e) {
    if (e.status !== 401) header.showBanner("Cannot reach Watchtower: " + e.message + ". Retrying…");
  }
}

// --- authentication ---

function unauthorized(reason) {
  if (stopped) return;
  stopped = true;
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
  subscribe(["sessions", "filters"], renderSessions);
  subscribe(["sessions", "filters"], renderCost);
  subscribe(["approvals", "sessions", "attention"], renderApprovals);
  subscribe(["approvals", "sessions", "attention"], () => renderAttention(prefs.notify));
  subscribe(["feed", "sessions"], renderFeed);
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
