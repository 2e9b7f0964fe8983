// Formatting of server values for people: times (the API speaks UTC "YYYY-MM-DD HH:MM:SS"),
// ages, token counts and costs. Pure functions, no DOM.

const UTC_STAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Milliseconds since the epoch from an API timestamp, epoch seconds/millis, or NaN. */
export function toMillis(ts) {
  if (ts == null || ts === "") return NaN;
  if (typeof ts === "number") return ts < 1e12 ? ts * 1000 : ts;
  if (UTC_STAMP.test(ts)) return Date.parse(ts.replace(" ", "T") + "Z");
  return Date.parse(ts);
}

/** The API's own timestamp format (UTC), for query parameters such as `since`. */
export function toApiStamp(millis) {
  return new Date(millis).toISOString().slice(0, 19).replace("T", " ");
}

export function duration(seconds) {
  const d = Math.max(0, Math.floor(seconds));
  if (d < 60) return d + "s";
  if (d < 3600) return Math.floor(d / 60) + "m";
  if (d < 86400) return Math.floor(d / 3600) + "h " + (Math.floor(d / 60) % 60) + "m";
  return Math.floor(d / 86400) + "d";
}

export function timeAgo(ts, now = Date.now()) {
  const t = toMillis(ts);
  if (Number.isNaN(t)) return "—";
  const d = (now - t) / 1000;
  if (d < 5) return "just now";
  return duration(d) + " ago";
}

// Formatters are made once: toLocaleString() builds a new one per call, which dominated a fast stream.
const DATE_TIME = new Intl.DateTimeFormat([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
const CLOCK = new Intl.DateTimeFormat([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

export function dateTime(ts) {
  const t = toMillis(ts);
  return Number.isNaN(t) ? "—" : DATE_TIME.format(t);
}

export function clock(ts) {
  const t = toMillis(ts);
  return CLOCK.format(Number.isNaN(t) ? Date.now() : t);
}

export function count(n) {
  const v = Number(n) || 0;
  if (v >= 1e9) return (v / 1e9).toFixed(1) + "B";
  if (v >= 1e6) return (v / 1e6).toFixed(1) + "M";
  if (v >= 1e3) return (v / 1e3).toFixed(1) + "k";
  return String(v);
}

export function bytes(n) {
  const v = Number(n) || 0;
  if (v >= 1048576) return (v / 1048576).toFixed(1) + " MB";
  if (v >= 1024) return (v / 1024).toFixed(1) + " kB";
  return v + " B";
}

/** Input (which already includes cache reads and writes, as the reference counts) plus output. */
export function totalTokens(s) {
  return (Number(s.input_tokens) || 0) + (Number(s.output_tokens) || 0);
}

/** Dollars, or "unknown" when the server could not price the session (cost_usd null). */
export function cost(usd) {
  if (usd == null || usd === "" || Number.isNaN(Number(usd))) return "unknown";
  const v = Number(usd);
  if (v === 0) return "$0";
  if (v < 0.01) return "<$0.01";
  if (v < 100) return "$" + v.toFixed(2);
  return "$" + Math.round(v).toLocaleString();
}

export function stateLabel(state) {
  return { awaiting_human: "needs human", active: "active", idle: "idle", terminated: "terminated" }[state] || String(state || "idle");
}

export function attentionLabel(attention) {
  return {
    permission_prompt: "waiting for a permission",
    idle_prompt: "waiting for your next prompt",
    agent_needs_input: "asking you a question",
    stop_failure: "stopped with an error",
  }[attention] || "";
}

export function displayName(s, fallbackId) {
  if (!s) return shortId(fallbackId);
  return s.name || shortId(s.id);
}

export function shortId(id) {
  const v = String(id ?? "?");
  return v.length > 12 ? v.slice(0, 8) + "…" : v;
}

/** The last two folders of a path: enough to recognise a project. */
export function shortPath(p) {
  if (!p) return "";
  return String(p).split("/").filter(Boolean).slice(-2).join("/");
}

export function clip(text, max) {
  const v = String(text ?? "");
  return v.length > max ? v.slice(0, max - 1) + "…" : v;
}
