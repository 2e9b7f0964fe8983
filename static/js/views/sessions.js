// The session list: one row per session (data-id), open by default unless terminated, with the
// reference's actions. Rows are kept and reused while their content is unchanged, so a busy
// stream re-renders only the rows that moved or changed, and focus survives a re-render.

import { state, visibleSessions } from "../store.js";
import * as fmt from "../format.js";
import { $, h, setText, setHidden } from "./h.js";

const rows = new Map(); // id -> { el, sig }

export function isOpen(s) {
  const byDefault = (s.state || "idle") !== "terminated";
  return state.toggled.has(s.id) ? !byDefault : byDefault;
}

function highlight(text, q) {
  if (!q) return text;
  const i = text.toLowerCase().indexOf(q.toLowerCase());
  if (i < 0) return text;
  return [text.slice(0, i), h("mark", null, text.slice(i, i + q.length)), text.slice(i + q.length)];
}

function tokenSummary(s) {
  const t = fmt.totalTokens(s);
  return t ? fmt.count(t) + " tok" : null;
}

function metaRow(k, v, cls) {
  return [h("dt", null, k), h("dd", { class: cls }, v)];
}

/** Where a session on another machine runs, and whether its `wtctl agent` is connected (team mode). */
export function machineBadge(s) {
  if (!s.machine) return null;
  const offline = s.machine_online === false;
  return h("span", {
    class: ["badge", "machine", offline ? "offline" : null],
    title: offline ? `Machine ${s.machine} is offline: no wtctl agent is connected, so its session cannot be steered`
      : `Runs on machine ${s.machine}`,
  }, offline ? `${s.machine} · offline` : s.machine);
}

function actionButtons(s) {
  const b = (action, label, cls) => h("button", { type: "button", "data-action": action, class: cls }, label);
  if ((s.state || "idle") === "terminated") {
    return [b("open", "Open"), b("history", "History"), b("export", "Export"), b("delete", "Delete", "danger")];
  }
  return [b("open", "Open"), b("checkpoint", "Checkpoint"), b("history", "History"), b("compact", "Compact"),
    b("fork", "Fork"), b("export", "Export"), b("close", "Close", "danger"), b("delete", "Delete", "danger")];
}

function rowNode(s, open, q, now) {
  const st = s.state || "idle";
  const name = s.name || s.id;
  const parent = s.parent_id ? state.sessions.get(s.parent_id) : null;
  const attention = st === "awaiting_human" ? fmt.attentionLabel(s.attention) : "";
  const detailId = "sd-" + s.id;
  return h("li", { class: ["srow", "s-" + st], "data-id": s.id },
    h("button", { type: "button", class: "hdr", "data-action": "toggle", "aria-expanded": String(open), "aria-controls": open ? detailId : null },
      h("span", { class: "dot", "aria-hidden": "true" }),
      h("span", { class: "name" }, highlight(name, q)),
      h("span", { class: "badges" },
        machineBadge(s),
        s.persona ? h("span", { class: "badge persona" }, s.persona) : null,
        s.kind ? h("span", { class: "badge kind" }, s.kind) : null,
        s.priority ? h("span", { class: "badge prio p-" + s.priority }, s.priority) : null),
      h("span", { class: "quick" },
        h("span", { class: "state" }, fmt.stateLabel(st)),
        tokenSummary(s) ? h("span", null, tokenSummary(s)) : null,
        s.cost_usd != null ? h("span", { title: "cost" }, fmt.cost(s.cost_usd)) : null,
        h("span", null, fmt.timeAgo(s.last_event_at || s.started_at, now)),
        h("span", { class: "chev", "aria-hidden": "true" }, open ? "▾" : "▸"))),
    open ? h("div", { class: "detail", id: detailId },
      s.parent_id ? h("div", { class: "lineage" }, "↳ forked from ", parent ? fmt.displayName(parent) : fmt.shortId(s.parent_id)) : null,
      attention ? h("div", { class: "attn" }, attention) : null,
      s.purpose ? h("div", { class: "purpose" }, s.purpose) : null,
      h("dl", { class: "meta" },
        metaRow("priority", s.priority ?? "—"),
        metaRow("created", fmt.dateTime(s.started_at)),
        metaRow("tool calls", String(s.tool_calls ?? 0)),
        metaRow("tokens", `${fmt.count(s.input_tokens)} in · ${fmt.count(s.output_tokens)} out`),
        (s.cache_read_tokens || s.cache_creation_tokens)
          ? metaRow("cache", `${fmt.count(s.cache_creation_tokens)} write · ${fmt.count(s.cache_read_tokens)} read`) : null,
        metaRow("cost", fmt.cost(s.cost_usd)),
        s.model ? metaRow("model", s.model) : null,
        metaRow("last", fmt.timeAgo(s.last_event_at, now)),
        metaRow("cwd", s.cwd || "—", "cwd")),
      h("div", { class: "actions", role: "group", "aria-label": "Actions for " + name }, actionButtons(s))) : null);
}

/** Everything a row shows, so an unchanged row is not rebuilt. */
function signature(s, open, q, now) {
  const parent = s.parent_id ? state.sessions.get(s.parent_id) : null;
  return JSON.stringify([s, open, q, fmt.timeAgo(s.last_event_at || s.started_at, now), parent && parent.name]);
}

export function renderSessions() {
  const list = $("sessions");
  const all = visibleSessions();
  const shown = all.slice(0, state.showLimit);
  const q = state.filters.q;
  const now = Date.now();
  const keep = new Set();

  setText($("sess-count"), all.length ? `(${all.length})` : "");
  setHidden($("sessions-empty"), all.length > 0);
  const more = $("more");
  setHidden(more, all.length <= shown.length);
  setText(more, `Show more (${all.length - shown.length} hidden)`);

  let cursor = list.firstElementChild;
  for (const s of shown) {
    keep.add(s.id);
    const open = isOpen(s);
    const sig = signature(s, open, q, now);
    let row = rows.get(s.id);
    if (!row || row.sig !== sig) {
      const el = rowNode(s, open, q, now);
      if (row) {
        const focused = row.el.contains(document.activeElement) ? document.activeElement.dataset.action : null;
        row.el.replaceWith(el);
        if (cursor === row.el) cursor = el;
        if (focused) (el.querySelector(`[data-action="${focused}"]`) || el.querySelector(".hdr")).focus({ preventScroll: true });
      }
      row = { el, sig };
      rows.set(s.id, row);
    }
    if (row.el !== cursor) list.insertBefore(row.el, cursor);
    else cursor = cursor.nextElementSibling;
  }
  for (const [id, row] of rows) {
    if (!keep.has(id)) {
      row.el.remove();
      rows.delete(id);
    }
  }
}

/** One delegated listener for the whole list: handler(action, sessionId, button). */
export function bindSessions(handler) {
  $("sessions").addEventListener("click", ev => {
    const btn = ev.target.closest("[data-action]");
    const row = ev.target.closest("li[data-id]");
    if (!btn || !row) return;
    handler(btn.dataset.action, row.dataset.id, btn);
  });
}
