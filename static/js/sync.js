// Keeps the store in step with the server: the first load, the /live stream's messages (a
// snapshot after every connect, then changes), per-session refetches coalesced so a burst
// costs a few requests, server-side filtering, and polling over HTTP while the stream is down.

import { api } from "./api.js";
import * as store from "./store.js";
import { state, sinceMillis, changed } from "./store.js";
import * as actions from "./actions.js";
import { toApiStamp } from "./format.js";
import { toast } from "./views/toasts.js";
import * as header from "./views/header.js";

const REFETCH_MS = 1000;

// --- loading ---

function serverFilters() {
  const f = state.filters;
  const since = sinceMillis(f);
  return { q: f.q, kind: f.kind, priority: f.priority, state: f.state, since: since == null ? null : toApiStamp(since), limit: 1000 };
}

export async function loadAll() {
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
export function refetchFiltered() {
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
  let ids = [...staleSessions];
  staleSessions.clear();
  try {
    if (ids.length > 20) {
      // sessions with fresh events are the most recently active: one short page holds them
      const rows = await api.sessions({ limit: Math.min(1000, ids.length + 20) });
      store.setSessions(rows);
      const got = new Set(rows.map(r => r.id));
      ids = ids.filter(id => !got.has(id)).slice(0, 20);
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

export function onLive(msg) {
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
    case "event":
      store.pushEvents([msg]);
      // the row (counts, state, tokens) comes from the server about once a second, not per event:
      // a burst then rebuilds each row once instead of once per event
      refetchSession(msg.session_id);
      refetchDetailSoon(msg.session_id);
      break;
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

/** While the stream is down, keep the page useful over plain HTTP. */
export async function poll() {
  if (!state.authed || state.conn.status === "live" || document.visibilityState !== "visible") return;
  try {
    await loadAll();
    refetchFiltered();
  } catch (e) {
    if (e.status !== 401) header.showBanner("Cannot reach Watchtower: " + e.message + ". Retrying…");
  }
}
