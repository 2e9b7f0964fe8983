// Getting a person's attention when an agent waits: the tab title shows "(N) Watchtower", and,
// if the person opted in, one browser notification per approval (or per wait of a session
// without one), never two for the same thing, even across reconnects and resyncs.

import { needsHuman, state } from "../store.js";
import * as fmt from "../format.js";

const NAME_WAIT_MS = 3000;
const notified = new Set();
const firstSeen = new Map();
let primed = false;

export function notificationsSupported() {
  return "Notification" in window;
}

function keysNow() {
  const { approvals, waiting } = needsHuman();
  return {
    approvals,
    waiting,
    total: approvals.length + waiting.length,
  };
}

/** After the first load: what is already waiting when the page opens is not news. */
export function primeAttention() {
  renderAttention(false);
  primed = true;
}

/** Updates the title and notifies (if enabled) about things not seen before. */
export function renderAttention(enabled) {
  const { approvals, waiting, total } = keysNow();
  document.title = total ? `(${total}) Watchtower` : "Watchtower";
  const fresh = [];
  const now = Date.now();
  for (const a of approvals) {
    const key = "a:" + a.id;
    if (!notified.has(key)) {
      // the approval can arrive just before its session: wait a moment for the name
      if (primed && !state.sessions.has(a.session_id)) {
        if (!firstSeen.has(key)) firstSeen.set(key, now);
        if (now - firstSeen.get(key) < NAME_WAIT_MS) continue;
      }
      firstSeen.delete(key);
      notified.add(key);
      fresh.push({ key, title: `${fmt.displayName(state.sessions.get(a.session_id), a.session_id)} wants to use ${a.tool_name || "a tool"}`,
        body: fmt.clip(a.command || (a.request && a.request.message) || "Approval needed", 180) });
    }
  }
  // a session's wait is one thing until it stops waiting; a later wait is news again
  const waitingNow = new Set(waiting.map(s => "w:" + s.id + ":" + (s.attention || "")));
  for (const key of notified) if (key.startsWith("w:") && !waitingNow.has(key)) notified.delete(key);
  for (const s of waiting) {
    const key = "w:" + s.id + ":" + (s.attention || "");
    if (!notified.has(key)) {
      notified.add(key);
      fresh.push({ key, title: `${fmt.displayName(s)} needs you`, body: fmt.attentionLabel(s.attention) || "Waiting for input" });
    }
  }
  if (!primed || !enabled || !notificationsSupported() || Notification.permission !== "granted") return;
  for (const n of fresh.slice(0, 3)) {
    try {
      new Notification(n.title, { body: n.body, tag: n.key });
    } catch {
      // some browsers only allow notifications from a service worker; the title badge still shows
    }
  }
}
