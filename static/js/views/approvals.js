// The needs-human pane: one card per pending approval, oldest first with how long it has
// waited, showing what exactly would be approved (a Bash command and its description, an
// Edit's diff, a Write's content, a WebFetch URL), then sessions waiting without a prompt
// to approve (a question, an idle prompt). Cards are focusable; a/d act on the focused one.

import { state, needsHuman } from "../store.js";
import * as fmt from "../format.js";
import { $, h, setText, setHidden } from "./h.js";
import { diffNode } from "./diff.js";

function input(a) {
  const r = a.request && typeof a.request === "object" ? a.request : {};
  return r.tool_input && typeof r.tool_input === "object" ? r.tool_input : {};
}

function field(label, value, cls = "") {
  return h("div", { class: "field " + cls },
    h("span", { class: "k" }, label), h("span", { class: "v" }, value));
}

/** What the person is asked to allow, shown per tool. */
function body(a) {
  const tool = a.tool_name || "";
  const ti = input(a);
  const parts = [];
  if (tool === "Bash" || ti.command) {
    const cmd = ti.command || a.command;
    if (cmd) parts.push(h("pre", { class: "cmd", "aria-label": "command" }, cmd));
    if (ti.description) parts.push(h("p", { class: "desc" }, ti.description));
  } else if (tool === "Edit" || tool === "MultiEdit" || ti.old_string != null) {
    if (ti.file_path) parts.push(field("file", ti.file_path, "path"));
    const edits = Array.isArray(ti.edits) ? ti.edits : [ti];
    for (const e of edits.slice(0, 5)) parts.push(diffNode(e.old_string, e.new_string, "Edit of " + (ti.file_path || "a file")));
    if (edits.length > 5) parts.push(h("p", { class: "muted" }, `… ${edits.length - 5} more edits`));
  } else if (tool === "Write" || ti.content != null) {
    if (ti.file_path) parts.push(field("file", ti.file_path, "path"));
    parts.push(diffNode(null, ti.content ?? "", "New content of " + (ti.file_path || "a file")));
  } else if (tool === "WebFetch" || ti.url) {
    parts.push(field("url", ti.url || a.command || ""));
    if (ti.prompt) parts.push(field("prompt", ti.prompt));
  } else if (ti.query) {
    parts.push(field("query", ti.query));
  } else if (ti.file_path) {
    parts.push(field("file", ti.file_path, "path"));
  } else if (a.command) {
    parts.push(h("pre", { class: "cmd" }, a.command));
  } else if (Object.keys(ti).length) {
    parts.push(h("pre", { class: "cmd" }, fmt.clip(JSON.stringify(ti, null, 2), 2000)));
  }
  const message = a.request && a.request.message;
  if (message && !parts.length) parts.push(h("p", { class: "desc" }, message));
  return parts;
}

function who(sessionId) {
  const s = state.sessions.get(sessionId);
  return { s, name: fmt.displayName(s, sessionId), where: s && s.cwd ? fmt.shortPath(s.cwd) : "" };
}

function approvalCard(a, now) {
  const { name, where } = who(a.session_id);
  const waited = fmt.duration((now - fmt.toMillis(a.created_at)) / 1000);
  const headId = "ah-" + a.id;
  return h("li", { class: "approval", "data-id": String(a.id), "data-session": a.session_id, tabindex: "0", "aria-labelledby": headId },
    h("div", { class: "who", id: headId },
      h("b", { class: "sess" }, name),
      a.tool_name ? [" wants to use ", h("b", null, a.tool_name)] : " needs your attention"),
    h("div", { class: "ctx" },
      where ? h("span", null, "in " + where) : null,
      Number.isNaN(fmt.toMillis(a.created_at)) ? null : h("span", { class: "age" }, "waiting " + waited)),
    body(a),
    h("div", { class: "row" },
      h("button", { type: "button", class: "primary", "data-action": "approve" }, "Approve"),
      h("button", { type: "button", class: "danger", "data-action": "deny" }, "Deny"),
      h("button", { type: "button", "data-action": "open" }, "Session")));
}

function waitingCard(s, now) {
  const since = fmt.toMillis(s.last_event_at);
  return h("li", { class: "approval waiting", "data-session": s.id, tabindex: "0" },
    h("div", { class: "who" }, h("b", { class: "sess" }, fmt.displayName(s)), " is ", fmt.attentionLabel(s.attention) || "waiting for you"),
    h("div", { class: "ctx" },
      s.cwd ? h("span", null, "in " + fmt.shortPath(s.cwd)) : null,
      Number.isNaN(since) ? null : h("span", { class: "age" }, "waiting " + fmt.duration((now - since) / 1000))),
    h("div", { class: "row" }, h("button", { type: "button", class: "primary", "data-action": "open" }, "Open session")));
}

export function sortedApprovals() {
  return needsHuman().approvals.sort((x, y) =>
    (fmt.toMillis(x.created_at) || 0) - (fmt.toMillis(y.created_at) || 0) || Number(x.id) - Number(y.id));
}

let lastSig = "";

export function renderApprovals() {
  const now = Date.now();
  const list = sortedApprovals();
  const waiting = needsHuman().waiting;
  const total = list.length + waiting.length;
  const sig = JSON.stringify([list, waiting.map(s => [s.id, s.name, s.attention, s.cwd, s.last_event_at]),
    list.map(a => who(a.session_id)), Math.floor(now / 15000)]);
  setText($("appr-count"), total ? `(${total})` : "");
  setText($("tab-appr-count"), total ? `(${total})` : "");
  setHidden($("approvals-empty"), total > 0);
  if (sig === lastSig) return;
  lastSig = sig;

  const ul = $("approvals");
  const focused = ul.contains(document.activeElement) ? document.activeElement : null;
  const focusKey = focused && (focused.closest("li")?.dataset.id || "s:" + focused.closest("li")?.dataset.session);
  const focusAction = focused && focused.dataset.action;
  ul.replaceChildren(...list.map(a => approvalCard(a, now)), ...waiting.map(s => waitingCard(s, now)));
  if (focusKey) {
    const li = [...ul.children].find(el => (el.dataset.id || "s:" + el.dataset.session) === focusKey);
    const target = li && (focusAction ? li.querySelector(`[data-action="${focusAction}"]`) : li);
    if (target) target.focus({ preventScroll: true });
    else if (ul.firstElementChild) ul.firstElementChild.focus({ preventScroll: true }); // the card was decided: go to the next
  }
}

/** One delegated listener: handler(action, approvalIdOrNull, sessionId, button). */
export function bindApprovals(handler) {
  $("approvals").addEventListener("click", ev => {
    const btn = ev.target.closest("[data-action]");
    const card = ev.target.closest("li");
    if (!btn || !card) return;
    handler(btn.dataset.action, card.dataset.id ? Number(card.dataset.id) : null, card.dataset.session, btn);
  });
}
