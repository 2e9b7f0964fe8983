// What the buttons do: each action calls the API, updates the store, and says how it went in
// a toast, success or the server's own error text. Destructive actions ask first.

import { api, ApiError } from "./api.js";
import * as store from "./store.js";
import { state } from "./store.js";
import * as fmt from "./format.js";
import { toast, announce } from "./views/toasts.js";
import { confirmAction } from "./views/confirm.js";
import * as ck from "./views/checkpoints.js";
import { inputValue, clearInput } from "./views/detail.js";

const inFlight = new Set();

function name(id) {
  return fmt.displayName(state.sessions.get(id), id);
}

function fail(what, e) {
  toast(`${what} failed: ${e instanceof ApiError ? e.message : String(e)}`, "err");
}

/** Runs fn once at a time per key, so a double click or a held key cannot send twice. */
async function once(key, fn) {
  if (inFlight.has(key)) return;
  inFlight.add(key);
  try {
    await fn();
  } finally {
    inFlight.delete(key);
  }
}

export async function refreshApprovals() {
  try {
    store.setApprovals(await api.approvals("pending"));
  } catch (e) {
    if (e.status !== 401) toast("Could not load approvals: " + e.message, "err");
  }
}

export function decide(id, decision) {
  return once("decide:" + id, async () => {
    const a = state.approvals.get(Number(id));
    const who = a ? name(a.session_id) : "request " + id;
    try {
      const r = await api.decide(id, decision, decision === "deny" ? "Denied from the Watchtower dashboard" : undefined);
      store.dropApproval(id);
      const verb = decision === "approve" ? "Approved" : "Denied";
      const tail = r && r.actuated === false ? " (recorded; answer it in the agent's terminal too)" : "";
      toast(`${verb}: ${who}${a && a.tool_name ? " · " + a.tool_name : ""}${tail}`);
      announce(`${verb} ${who}`);
    } catch (e) {
      if (e.status === 409) {
        store.dropApproval(id); // decided elsewhere (terminal, phone, wtctl) or resolved by the agent moving on
        toast(`Not ${decision === "approve" ? "approved" : "denied"}: ${e.message}`, "err");
        refreshApprovals();
      } else {
        fail(decision === "approve" ? "Approve" : "Deny", e);
      }
    }
  });
}

// --- session panel ---

export async function openSession(id) {
  if (!id) return;
  store.setDetail({ id, events: [], checkpoints: [], loading: true, error: null, ckError: null, olderDone: false });
  if (!state.sessions.has(id)) {
    try { store.mergeSession(id, await api.session(id)); } catch (e) { fail("Loading the session", e); }
  }
  await Promise.all([reloadDetailEvents(id), reloadDetailCheckpoints(id)]);
}

export async function reloadDetailEvents(id) {
  try {
    const events = await api.events(id, 200);
    if (state.detail && state.detail.id === id) {
      store.setDetail({ ...state.detail, events, loading: false, error: null, olderDone: events.length < 200 });
    }
  } catch (e) {
    if (state.detail && state.detail.id === id) store.setDetail({ ...state.detail, loading: false, error: e.message });
  }
}

export async function loadOlder(id) {
  const d = state.detail;
  if (!d || d.id !== id || !d.events.length) return;
  const before = Math.min(...d.events.map(e => Number(e.id)));
  store.setDetail({ ...d, loading: true });
  try {
    const older = await api.events(id, 200, before);
    const cur = state.detail;
    if (cur && cur.id === id) store.setDetail({ ...cur, events: [...cur.events, ...older], loading: false, olderDone: older.length < 200 });
  } catch (e) {
    if (state.detail && state.detail.id === id) store.setDetail({ ...state.detail, loading: false });
    fail("Loading older events", e);
  }
}

export async function reloadDetailCheckpoints(id) {
  try {
    const [checkpoints, artifacts] = await Promise.all([api.checkpoints(id), api.artifacts(id)]);
    if (state.detail && state.detail.id === id) store.setDetail({ ...state.detail, checkpoints, artifacts, ckError: null });
  } catch (e) {
    if (state.detail && state.detail.id === id) store.setDetail({ ...state.detail, ckError: e.message });
  }
}

export function closeSessionPanel() {
  store.setDetail(null);
}

export function sendInput(id) {
  const text = inputValue().trim();
  if (!text) {
    toast("Type something to send first", "err");
    return;
  }
  return once("input:" + id, async () => {
    store.setDetail({ ...state.detail, sending: true });
    try {
      await api.input(id, text);
      clearInput();
      toast(`Sent to ${name(id)}`);
    } catch (e) {
      fail("Sending input", e);
    } finally {
      if (state.detail && state.detail.id === id) store.setDetail({ ...state.detail, sending: false });
    }
  });
}

// --- checkpoints ---

let modalSession = null;

export async function showHistory(id, select) {
  modalSession = id;
  ck.openCheckpoints("Checkpoints — " + name(id));
  await refreshCheckpointList(select);
}

async function refreshCheckpointList(select) {
  const id = modalSession;
  let list;
  try {
    list = await api.checkpoints(id);
  } catch (e) {
    ck.renderCheckpointList([], e.message);
    return;
  }
  if (id !== modalSession) return;
  ck.renderCheckpointList(list);
  if (list.length) await selectCheckpoint(list.some(c => c.name === select) ? select : list[0].name);
}

export async function selectCheckpoint(cpName) {
  const id = modalSession;
  try {
    ck.selectCheckpoint(cpName, await api.checkpointText(id, cpName));
  } catch (e) {
    ck.selectCheckpoint(cpName, "Could not load: " + e.message);
  }
}

export function closeHistory() {
  modalSession = null;
  ck.closeCheckpoints();
}

export function checkpointFromModal() {
  if (modalSession) return checkpoint(modalSession);
}

export function checkpoint(id) {
  return once("checkpoint:" + id, async () => {
    try {
      const r = await api.checkpoint(id);
      const file = r && r.path ? String(r.path).split("/").pop() : "ok";
      toast("Checkpoint saved: " + file);
      if (modalSession === id) await refreshCheckpointList(file);
      if (state.detail && state.detail.id === id) reloadDetailCheckpoints(id);
    } catch (e) {
      fail("Checkpoint", e);
    }
  });
}

export function checkpointChanged(sessionId) {
  if (modalSession === sessionId && ck.checkpointsOpen()) refreshCheckpointList();
  if (state.detail && state.detail.id === sessionId) reloadDetailCheckpoints(sessionId);
}

// --- session actions ---

export function compact(id) {
  return once("compact:" + id, async () => {
    try {
      await api.compact(id);
      toast(`Sent /compact to ${name(id)}`);
    } catch (e) {
      fail("Compact", e);
    }
  });
}

export function fork(id) {
  return once("fork:" + id, async () => {
    try {
      const r = await api.fork(id);
      if (r && r.id) store.mergeSession(r.id, r);
      const where = r && r.terminal_opened ? " (opened a terminal)"
        : r && r.tmux_target ? ` — attach: tmux -L uvs attach -t ${r.tmux_target}` : "";
      toast(`Forked ${name(id)} → ${r ? r.name || r.id : "new session"}${where}`);
    } catch (e) {
      fail("Fork", e);
    }
  });
}

export async function closeSession(id) {
  if (!(await confirmAction(`Close session "${name(id)}"? A checkpoint is saved first, then its process is stopped.`, "Close session"))) return;
  return once("close:" + id, async () => {
    try {
      const r = await api.close(id);
      const via = r && r.terminated_via;
      const ck2 = r && r.checkpoint ? " · checkpoint saved"
        : r && r.checkpoint_error ? " · no checkpoint: " + r.checkpoint_error : "";
      toast(via === "tmux" || via === "pid" ? `Closed ${name(id)}: process stopped${ck2}` : `Marked ${name(id)} terminated${ck2}; no live process to stop`);
      store.mergeSession(id, { state: "terminated" });
    } catch (e) {
      fail("Close", e);
    }
  });
}

export async function deleteSession(id) {
  const who = name(id);
  if (!(await confirmAction(`Delete "${who}" forever? It is removed from Watchtower with its events (checkpoint files on disk are kept).`, "Delete"))) return;
  return once("delete:" + id, async () => {
    try {
      await api.remove(id);
      store.removeSession(id);
      toast("Deleted " + who);
    } catch (e) {
      fail("Delete", e);
    }
  });
}

export async function cleanupAll() {
  const n = state.sessions.size;
  if (!n) {
    toast("No sessions to clean up");
    return;
  }
  if (!(await confirmAction(`Clean up ALL ${n} sessions? Live sessions Watchtower started are stopped.`, "Continue"))) return;
  if (!(await confirmAction(`Are you sure? This permanently deletes ${n} sessions and their events. It cannot be undone.`, "Delete everything"))) return;
  return once("cleanup", async () => {
    try {
      const r = await api.cleanup();
      store.clearAll();
      toast(`Cleaned up ${r && r.deleted != null ? r.deleted : n} sessions`);
    } catch (e) {
      fail("Clean up", e);
    }
  });
}

export async function saveTerminal(value) {
  try {
    await api.saveSetting("terminal_app", value);
    state.settings.terminal_app = value;
    toast("Fork opens in: " + value);
  } catch (e) {
    fail("Saving the setting", e);
    store.changed("settings"); // put the select back to what the server has
  }
}

// --- export: the server's JSON lines (a session line, then its events, oldest first) ---

export function exportSession(id, download) {
  return once("export:" + id, async () => {
    try {
      const text = await api.exportText(id);
      const events = text.split("\n").filter(line => line.startsWith('{"record":"event"')).length;
      download(`watchtower-session-${id}.jsonl`, text);
      toast(`Exported ${name(id)}: ${events} event${events === 1 ? "" : "s"}`);
    } catch (e) {
      fail("Export", e);
    }
  });
}

// --- search ---

export async function searchEvents(q) {
  if (!q) {
    store.setSearch(null);
    return;
  }
  store.setSearch({ q, rows: [], loading: true });
  try {
    const rows = await api.searchEvents(q);
    if (state.search && state.search.q === q) store.setSearch({ q, rows, loading: false });
  } catch (e) {
    if (state.search && state.search.q === q) store.setSearch({ q, rows: [], loading: false, error: e.message });
  }
}
