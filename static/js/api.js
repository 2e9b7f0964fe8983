// Talks to the Watchtower API: the install token, fetch with the X-UVS-Token header, and
// errors. A non-2xx answer becomes an ApiError carrying the status and the server's own
// {"detail"} text, so every action can show people exactly what the server said.

const TOKEN_KEY = "uvs.token";

export class ApiError extends Error {
  constructor(status, detail, path) {
    super(detail);
    this.status = status;
    this.path = path;
  }
}

/**
 * Reads `#token=` from the address once, keeps it in this tab's sessionStorage and removes it
 * from the address bar and history, so it is not bookmarked, shared or sent as a Referer.
 */
export function takeTokenFromUrl() {
  const hash = location.hash.startsWith("#") ? location.hash.slice(1) : "";
  const params = new URLSearchParams(hash);
  const value = params.get("token");
  if (value != null) {
    // header values must be visible ASCII; anything else cannot be the token
    if (/^[\x21-\x7e]{1,512}$/.test(value)) sessionStorage.setItem(TOKEN_KEY, value);
    params.delete("token");
    const rest = params.toString();
    history.replaceState(history.state, "", location.pathname + location.search + (rest ? "#" + rest : ""));
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

let onUnauthorized = () => {};

/** Called once by app.js: what to do when the server answers 401 (show the sign-in help). */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

async function request(method, path, body, accept = "json") {
  const headers = {};
  const t = token();
  if (t) headers["X-UVS-Token"] = t;
  const init = { method, headers, credentials: "same-origin", cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, "cannot reach Watchtower (" + (e.message || "network error") + ")", path);
  }
  const text = await res.text();
  if (!res.ok) {
    let detail = "";
    try { detail = JSON.parse(text).detail || ""; } catch { detail = ""; }
    if (typeof detail !== "string") detail = JSON.stringify(detail);
    const err = new ApiError(res.status, detail || `HTTP ${res.status}`, path);
    if (res.status === 401) onUnauthorized(err);
    throw err;
  }
  if (accept === "text") return text;
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(res.status, "the server sent something that is not JSON", path);
  }
}

export const get = path => request("GET", path);
export const getText = path => request("GET", path, undefined, "text");
export const post = (path, body = {}) => request("POST", path, body);
export const del = path => request("DELETE", path);

/** Trades the token for the HttpOnly cookie the WebSocket upgrade needs (it cannot carry headers). */
export const startCookieSession = () => post("/auth/session", {});

const enc = encodeURIComponent;

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== "" && v !== "all") q.set(k, String(v));
  const s = q.toString();
  return s ? "?" + s : "";
}

export const api = {
  sessions: params => get("/sessions" + query(params)),
  session: id => get(`/sessions/${enc(id)}`),
  events: (id, limit = 100, before) => get(`/sessions/${enc(id)}/events` + query({ limit, before })),
  recentEvents: (limit = 60) => get("/events" + query({ limit })),
  searchEvents: (q, sessionId, limit = 100) => get("/events/search" + query({ q, session_id: sessionId, limit })),
  approvals: (status = "pending") => get("/approvals" + query({ status })),
  decide: (id, decision, message) =>
    post(`/approvals/${enc(id)}/decide`, { decision, decided_by: "dashboard", ...(message ? { message } : {}) }),
  settings: () => get("/settings"),
  saveSetting: (key, value) => post("/settings", { key, value }),
  checkpoints: id => get(`/sessions/${enc(id)}/checkpoints`),
  checkpointText: (id, name) => getText(`/sessions/${enc(id)}/checkpoints/${enc(name)}`),
  artifacts: id => get(`/sessions/${enc(id)}/artifacts`),
  checkpoint: id => post(`/sessions/${enc(id)}/checkpoint`),
  close: id => post(`/sessions/${enc(id)}/close`),
  compact: id => post(`/sessions/${enc(id)}/compact`),
  fork: id => post(`/sessions/${enc(id)}/fork`),
  remove: id => del(`/sessions/${enc(id)}`),
  cleanup: () => post("/sessions/cleanup"),
  input: (id, text) => post(`/sessions/${enc(id)}/input`, { text }),
  exportText: id => getText(`/sessions/${enc(id)}/export`),
};
