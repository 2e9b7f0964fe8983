// The dashboard's state and its change notifications. Nothing here touches the DOM: views
// subscribe to topics and are called at most once per animation frame however many changes
// arrived, which is what keeps a fast event stream from freezing the page.

import { toMillis } from "./format.js";

export const FEED_MAX = 200;

export const state = {
  sessions: new Map(),      // id -> session row as the API returns it
  approvals: new Map(),     // id -> pending approval (with its decoded request when known)
  feed: [],                 // newest last, at most FEED_MAX
  feedSeq: 0,               // how many events were ever appended (views track what they drew)
  feedEpoch: 0,             // bumped when the feed is replaced wholesale (resync)
  filters: { q: "", time: "all", from: "", to: "", priority: "all", kind: "all", state: "all" },
  toggled: new Set(),       // rows whose open/closed state differs from the default
  showLimit: 150,           // rows drawn at most (more on "Show more"), so thousands of sessions stay quick
  conn: { status: "connecting", detail: "" },
  detail: null,             // { id, events, checkpoints, loading, error, olderDone }
  search: null,             // { q, rows, error } for the event search
  settings: {},
  authed: false,
};

const subscribers = [];
const dirty = new Set();
let frame = 0;
let timer = 0;
let retryTimer = 0;

/**
 * Calls fn(topicsThatChanged) after changes to any of the given topics, once per frame, and
 * no more often than every minInterval ms (later changes wait, none are lost).
 */
export function subscribe(topics, fn, minInterval = 0) {
  subscribers.push({ topics: new Set(topics), fn, minInterval, last: 0, held: new Set() });
}

/** Marks topics as changed; subscribers run on the next frame (or soon, in a hidden tab). */
export function changed(...topics) {
  for (const t of topics) dirty.add(t);
  if (frame || timer) return;
  frame = requestAnimationFrame(flush);
  // background tabs get no animation frames; the title badge and notifications must still update
  timer = setTimeout(flush, 250);
}

function flush() {
  cancelAnimationFrame(frame);
  clearTimeout(timer);
  frame = 0;
  timer = 0;
  const topics = new Set(dirty);
  dirty.clear();
  const now = performance.now();
  let retry = Infinity;
  for (const s of subscribers) {
    const mine = new Set([...s.held, ...[...topics].filter(t => s.topics.has(t))]);
    if (!mine.size) continue;
    const wait = s.last + s.minInterval - now;
    if (wait > 0) {
      s.held = mine; // too soon: keep what changed for a later flush
      retry = Math.min(retry, wait);
      continue;
    }
    s.held = new Set();
    s.last = now;
    try {
      s.fn(mine);
    } catch (e) {
      console.error("render failed", e);
    }
  }
  if (retry !== Infinity && !retryTimer) {
    retryTimer = setTimeout(() => {
      retryTimer = 0;
      changed();
    }, retry);
  }
}

// --- sessions ---

export function setSessions(rows, { replace = false } = {}) {
  if (replace) state.sessions.clear();
  for (const s of rows || []) if (s && s.id) state.sessions.set(s.id, s);
  changed("sessions", "attention", "detail");
}

export function mergeSession(id, fields) {
  const old = state.sessions.get(id) || { id };
  state.sessions.set(id, { ...old, ...fields, id });
  changed("sessions", "attention", "detail");
}

export function removeSession(id) {
  state.sessions.delete(id);
  for (const [aid, a] of state.approvals) if (a.session_id === id) state.approvals.delete(aid);
  if (state.detail && state.detail.id === id) state.detail = null;
  changed("sessions", "approvals", "attention", "detail");
}

export function clearAll() {
  state.sessions.clear();
  state.approvals.clear();
  state.detail = null;
  changed("sessions", "approvals", "attention", "detail");
}

// --- approvals ---

export function setApprovals(rows) {
  state.approvals.clear();
  for (const a of rows || []) if (a && a.id != null) state.approvals.set(Number(a.id), a);
  changed("approvals", "attention");
}

export function putApproval(a) {
  const id = Number(a.id);
  state.approvals.set(id, { ...(state.approvals.get(id) || {}), ...a, id });
  changed("approvals", "attention");
}

export function dropApproval(id) {
  if (state.approvals.delete(Number(id))) changed("approvals", "attention");
}

// --- feed ---

export function pushEvents(events) {
  for (const e of events) state.feed.push(e);
  state.feedSeq += events.length;
  if (state.feed.length > FEED_MAX) state.feed.splice(0, state.feed.length - FEED_MAX);
  changed("feed");
}

export function replaceFeed(events) {
  state.feed = (events || []).slice(-FEED_MAX);
  state.feedSeq += state.feed.length;
  state.feedEpoch++;
  changed("feed");
}

// --- everything else ---

export function setConn(status, detail = "") {
  if (state.conn.status === status && state.conn.detail === detail) return;
  state.conn = { status, detail };
  changed("conn");
}

export function setFilter(key, value) {
  state.filters[key] = value;
  state.showLimit = 150;
  changed("sessions", "filters");
}

export function setDetail(detail) {
  state.detail = detail;
  changed("detail");
}

export function setSearch(search) {
  state.search = search;
  changed("search");
}

/** Sessions that need a person: a pending approval, or waiting in awaiting_human without one. */
export function needsHuman() {
  const withApproval = new Set([...state.approvals.values()].map(a => a.session_id));
  const waiting = [...state.sessions.values()].filter(s => s.state === "awaiting_human" && !withApproval.has(s.id));
  return { approvals: [...state.approvals.values()], waiting };
}

// --- what the session list shows ---

const STATE_ORDER = { awaiting_human: 0, active: 1, idle: 2, terminated: 3 };

export function lastActivity(s) {
  return toMillis(s.last_event_at || s.activity_at || s.started_at);
}

/** The same filters the server applies (GET /sessions), so live updates obey them too. */
export function matches(s, f = state.filters, now = Date.now()) {
  if (f.q) {
    const q = f.q.toLowerCase();
    if (![s.name, s.id, s.cwd].some(v => v && String(v).toLowerCase().includes(q))) return false;
  }
  if (f.priority !== "all" && s.priority !== f.priority) return false;
  if (f.kind !== "all" && s.kind !== f.kind) return false;
  if (f.state !== "all" && (s.state || "idle") !== f.state) return false;
  if (f.time === "all") return true;
  const t = lastActivity(s);
  if (Number.isNaN(t)) return false;
  if (f.time === "today") return new Date(t).toDateString() === new Date(now).toDateString();
  if (f.time === "7d") return now - t <= 7 * 86400000;
  if (f.time === "30d") return now - t <= 30 * 86400000;
  if (f.time === "custom") {
    if (f.from && t < new Date(f.from + "T00:00:00").getTime()) return false;
    if (f.to && t >= new Date(f.to + "T00:00:00").getTime() + 86400000) return false; // the end day is included
  }
  return true;
}

/** The earliest activity time a filter allows, for the server's `since` parameter (or null). */
export function sinceMillis(f = state.filters, now = Date.now()) {
  if (f.time === "today") return new Date(new Date(now).toDateString()).getTime();
  if (f.time === "7d") return now - 7 * 86400000;
  if (f.time === "30d") return now - 30 * 86400000;
  if (f.time === "custom" && f.from) return new Date(f.from + "T00:00:00").getTime();
  return null;
}

/** Needs-human first, then active, idle, terminated; newest activity first within each. */
export function visibleSessions() {
  const now = Date.now();
  return [...state.sessions.values()].filter(s => matches(s, state.filters, now)).sort((a, b) => {
    const sa = STATE_ORDER[a.state] ?? 9, sb = STATE_ORDER[b.state] ?? 9;
    if (sa !== sb) return sa - sb;
    return (lastActivity(b) || 0) - (lastActivity(a) || 0);
  });
}
