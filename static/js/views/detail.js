// The session panel: usage and cost, actions, an input box for an idle agent, and what the
// agent did (prompts, tools, files touched, checkpoints, the event timeline). The frame and
// the input box are built once per opened session; only the sections below are redrawn, so
// live events never wipe what a person is typing.

import { state } from "../store.js";
import * as fmt from "../format.js";
import { $, h, fill, keepFocus, setText } from "./h.js";
import { machineBadge } from "./sessions.js";

let openedId = null;
let returnFocus = null;
let parts = null;

function section(title, id) {
  const body = h("div", { class: "sec-body", id });
  return { el: h("section", { class: "sec", "aria-labelledby": id + "-t" }, h("h3", { id: id + "-t" }, title), body), body };
}

function build(id) {
  const head = h("div", { class: "dhead" });
  const stats = h("div", { class: "dstats" });
  const actions = h("div", { class: "actions", role: "group", "aria-label": "Session actions" });
  const textarea = h("textarea", { id: "input-text", rows: "2", maxlength: "10000", placeholder: "Reply to the agent…" });
  const inputHint = h("p", { class: "muted small", id: "input-hint" });
  const form = h("form", { class: "input-form", id: "input-form", "aria-labelledby": "input-label" },
    h("label", { for: "input-text", id: "input-label" }, "Send input"),
    textarea,
    h("div", { class: "row" }, inputHint, h("button", { type: "submit", class: "primary", id: "input-send" }, "Send")));
  const prompts = section("Prompts", "d-prompts");
  const tools = section("Tools", "d-tools");
  const files = section("Files touched", "d-files");
  const checkpoints = section("Checkpoints", "d-checkpoints");
  const artifacts = section("Artifacts", "d-artifacts");
  const timeline = section("Timeline", "d-timeline");
  const root = $("detail");
  fill(root,
    h("div", { class: "dbar" },
      h("h2", { id: "detail-title" }, "Session"),
      h("button", { type: "button", "data-action": "close-panel", "aria-label": "Close the session panel" }, "✕")),
    h("div", { class: "dscroll" }, head, stats, actions, form,
      h("div", { class: "dgrid" }, prompts.el, tools.el, files.el, checkpoints.el, artifacts.el), timeline.el));
  parts = { head, stats, actions, form, textarea, inputHint, prompts: prompts.body, tools: tools.body,
    files: files.body, checkpoints: checkpoints.body, artifacts: artifacts.body, timeline: timeline.body };
  openedId = id;
}

/** The panel lies over the page: what is behind it takes no clicks, focus or screen-reader reading. */
function setBehindInert(on) {
  for (const id of ["layout", "tabs"]) $(id).inert = on;
  document.querySelector("header.top").inert = on;
}

export function showPanel(id) {
  if (openedId !== id || !parts) build(id);
  const panel = $("detail");
  if (panel.hidden) returnFocus = document.activeElement;
  panel.hidden = false;
  setBehindInert(true);
  panel.focus({ preventScroll: true });
}

export function hidePanel() {
  const panel = $("detail");
  if (panel.hidden) return;
  panel.hidden = true;
  setBehindInert(false);
  openedId = null;
  parts = null;
  panel.replaceChildren();
  if (returnFocus && document.contains(returnFocus)) returnFocus.focus({ preventScroll: true });
  returnFocus = null;
}

function stat(k, v, title) {
  return h("div", { class: "stat", title }, h("span", { class: "k" }, k), h("span", { class: "v" }, v));
}

function usageByModel(s) {
  let data = s.usage_by_model;
  if (typeof data === "string") {
    try { data = JSON.parse(data); } catch { data = null; }
  }
  if (!data || typeof data !== "object" || !Object.keys(data).length) return null;
  const cols = ["input", "output", "cache_creation", "cache_read"];
  return h("table", { class: "usage" },
    h("caption", { class: "sr-only" }, "Tokens by model"),
    h("thead", null, h("tr", null, h("th", { scope: "col" }, "model"), cols.map(c => h("th", { scope: "col" }, c.replace("_", " "))))),
    h("tbody", null, Object.entries(data).map(([model, u]) =>
      h("tr", null, h("th", { scope: "row" }, model), cols.map(c => h("td", null, fmt.count(u && u[c])))))));
}

function payloadOf(ev) {
  return ev.payload && typeof ev.payload === "object" ? ev.payload : {};
}

function eventSummary(ev) {
  const p = payloadOf(ev);
  const ti = p.tool_input && typeof p.tool_input === "object" ? p.tool_input : {};
  if (ev.event_type === "UserPromptSubmit" && p.prompt) return p.prompt;
  if (ev.event_type === "Notification" && p.message) return p.message;
  return ev.command || ti.command || ti.file_path || ti.url || ti.pattern || ti.query || p.message || "";
}

function renderTimeline(d) {
  const rows = d.events.map(ev => h("li", { class: "tl " + (ev.event_type === "UserPromptSubmit" ? "t-prompt" : "") },
    h("time", { datetime: ev.created_at || "" }, fmt.dateTime(ev.created_at)),
    h("span", { class: "et" }, ev.event_type || "event"),
    ev.tool_name ? h("span", { class: "tool" }, ev.tool_name) : null,
    h("span", { class: "sum" }, fmt.clip(eventSummary(ev), 400))));
  fill(parts.timeline,
    d.error ? h("p", { class: "error" }, "Could not load events: " + d.error) : null,
    rows.length ? h("ol", { class: "timeline" }, rows) : h("p", { class: "empty" }, d.loading ? "Loading…" : "No events."),
    d.olderDone || !rows.length ? null
      : h("button", { type: "button", "data-action": "older", disabled: d.loading }, d.loading ? "Loading…" : "Load older events"));
}

function counted(items) {
  const m = new Map();
  for (const v of items) if (v) m.set(v, (m.get(v) || 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
}

function renderDerived(d) {
  const prompts = d.events.filter(e => e.event_type === "UserPromptSubmit" && payloadOf(e).prompt).reverse();
  fill(parts.prompts, prompts.length
    ? h("ol", { class: "prompts" }, prompts.map(e => h("li", null,
        h("time", { datetime: e.created_at || "" }, fmt.dateTime(e.created_at)),
        h("p", null, fmt.clip(payloadOf(e).prompt, 2000)))))
    : h("p", { class: "empty" }, "No prompts in the loaded events."));

  const pre = d.events.filter(e => e.event_type === "PreToolUse");
  const toolEvents = pre.length ? pre : d.events.filter(e => e.tool_name && e.event_type !== "PermissionRequest");
  const tools = counted(toolEvents.map(e => e.tool_name));
  fill(parts.tools, tools.length
    ? h("ul", { class: "counts" }, tools.map(([t, n]) => h("li", null, h("span", null, t), h("span", { class: "n" }, "×" + n))))
    : h("p", { class: "empty" }, "No tool calls in the loaded events."));

  const files = counted(toolEvents.map(e => {
    const ti = payloadOf(e).tool_input;
    return ti && typeof ti === "object" ? ti.file_path || ti.notebook_path : null;
  }));
  fill(parts.files, files.length
    ? h("ul", { class: "counts files" }, files.map(([f, n]) => h("li", null, h("span", { class: "path", title: f }, f), h("span", { class: "n" }, "×" + n))))
    : h("p", { class: "empty" }, "No files touched in the loaded events."));

  const cks = d.checkpoints || [];
  fill(parts.checkpoints,
    d.ckError ? h("p", { class: "error" }, "Could not list checkpoints: " + d.ckError) : null,
    cks.length
      ? h("ul", { class: "cks" }, cks.map(c => h("li", null,
          h("button", { type: "button", class: "link", "data-action": "show-checkpoint", "data-name": c.name }, c.name),
          h("span", { class: "muted" }, " " + fmt.timeAgo(c.modified)))))
      : h("p", { class: "empty" }, "No checkpoints yet."),
    h("button", { type: "button", "data-action": "checkpoint" }, "New checkpoint"));

  const arts = d.artifacts || [];
  fill(parts.artifacts, arts.length
    ? h("ul", { class: "counts files" }, arts.map(a => h("li", null,
        h("span", { class: "path", title: a.path }, a.path), h("span", { class: "n" }, fmt.bytes(a.size)))))
    : h("p", { class: "empty" }, "Nothing under uv-out/sessions/ for this session."));
}

let lastSig = "";

export function renderDetail() {
  const d = state.detail;
  if (!d) {
    lastSig = "";
    return hidePanel();
  }
  if (!parts || openedId !== d.id) {
    showPanel(d.id);
    lastSig = "";
  }
  const s = state.sessions.get(d.id) || { id: d.id };
  const parent = s.parent_id ? state.sessions.get(s.parent_id) : null;
  const sig = JSON.stringify([s, d, parent && parent.name, fmt.timeAgo(s.last_event_at)]);
  if (sig === lastSig) return;
  lastSig = sig;
  keepFocus($("detail"), () => draw(d, s));
}

function draw(d, s) {
  const st = s.state || "idle";
  setText($("detail-title"), s.name || s.id);
  fill(parts.head,
    h("span", { class: "pill s-" + st }, fmt.stateLabel(st)),
    st === "awaiting_human" && s.attention ? h("span", { class: "attn" }, fmt.attentionLabel(s.attention)) : null,
    machineBadge(s),
    s.persona ? h("span", { class: "badge persona" }, s.persona) : null,
    s.kind ? h("span", { class: "badge kind" }, s.kind) : null,
    h("code", { class: "sid" }, s.id),
    s.purpose ? h("p", { class: "purpose" }, s.purpose) : null);
  fill(parts.stats,
    stat("cost", fmt.cost(s.cost_usd), s.cost_usd == null ? "No price is known for this session's model" : null),
    stat("input", fmt.count(s.input_tokens), "Input tokens, including cache reads and writes"),
    stat("output", fmt.count(s.output_tokens)),
    stat("fresh input", fmt.count(s.fresh_input_tokens)),
    stat("cache write", fmt.count(s.cache_creation_tokens)),
    stat("cache read", fmt.count(s.cache_read_tokens)),
    stat("tool calls", String(s.tool_calls ?? 0)),
    stat("events", String(s.event_count ?? "—")),
    stat("model", s.model || "—"),
    stat("started", fmt.dateTime(s.started_at)),
    stat("last", fmt.timeAgo(s.last_event_at)),
    s.ended_at ? stat("ended", fmt.dateTime(s.ended_at)) : null,
    stat("cwd", s.cwd || "—"),
    s.tmux_target ? stat("tmux", s.tmux_target) : null,
    s.parent_id ? stat("forked from", fmt.displayName(state.sessions.get(s.parent_id), s.parent_id)) : null,
    usageByModel(s));
  const b = (action, label, cls) => h("button", { type: "button", "data-action": action, class: cls }, label);
  fill(parts.actions, st === "terminated"
    ? [b("history", "History"), b("export", "Export JSON lines"), b("delete", "Delete", "danger")]
    : [b("checkpoint", "Checkpoint"), b("history", "History"), b("compact", "Compact"), b("fork", "Fork"),
       b("export", "Export JSON lines"), b("close", "Close", "danger"), b("delete", "Delete", "danger")]);
  const canType = st === "idle" || st === "awaiting_human";
  parts.form.hidden = st === "terminated";
  parts.textarea.disabled = !canType || d.sending;
  $("input-send").disabled = !canType || d.sending;
  parts.inputHint.textContent = canType ? "Typed into the agent's terminal, then Enter." : "Input opens when the agent is idle or waiting for you.";
  renderDerived(d);
  renderTimeline(d);
}

export function inputValue() {
  return parts ? parts.textarea.value : "";
}

export function clearInput() {
  if (parts) parts.textarea.value = "";
}

/** One listener for the panel: handler(action, sessionId, button); submit of the input box is "send". */
export function bindDetail(handler) {
  const root = $("detail");
  root.addEventListener("click", ev => {
    const btn = ev.target.closest("[data-action]");
    if (btn && state.detail) handler(btn.dataset.action, state.detail.id, btn);
  });
  root.addEventListener("submit", ev => {
    ev.preventDefault();
    if (state.detail) handler("send", state.detail.id, ev.target);
  });
  root.addEventListener("keydown", ev => {
    // Ctrl/Cmd+Enter sends from the text box
    if (ev.target.id === "input-text" && ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && state.detail) {
      ev.preventDefault();
      handler("send", state.detail.id, ev.target);
    }
  });
}
