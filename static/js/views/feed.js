// The heartbeat feed: a capped log of recent events, appended in batches (one fragment per
// redraw) and trimmed from the top; it follows the newest line only while the reader is at the
// bottom, so scrolling back to read is not yanked away. Also draws event search results.

import { state, FEED_MAX } from "../store.js";
import * as fmt from "../format.js";
import { $, h, fill, setText, setHidden } from "./h.js";

let drawnSeq = 0;
let drawnEpoch = -1;

function kindClass(et) {
  if (et === "UserPromptSubmit") return "t-prompt";
  if (et === "Notification" || et === "PermissionRequest") return "t-notify";
  if (et.startsWith("PreToolUse") || et.startsWith("PostToolUse")) return "t-tool";
  if (et === "StopFailure" || et === "PostToolUseFailure") return "t-fail";
  return "t-meta";
}

function line(ev) {
  const s = state.sessions.get(ev.session_id);
  const name = fmt.displayName(s, ev.session_id);
  const et = ev.event_type || "event";
  const detail = [et, ev.tool_name, ev.command].filter(Boolean).join(" ");
  return h("li", { class: "hb-line " + kindClass(et), "data-session": ev.session_id || "" },
    h("time", { class: "hb-time", datetime: ev.created_at || "" }, fmt.clock(ev.created_at)),
    h("button", { type: "button", class: "hb-sess link", "data-action": "open", title: name }, name),
    h("span", { class: "hb-evt", title: fmt.clip(detail, 500) }, fmt.clip(detail, 300)));
}

/** Lines drawn before their session was known show its id; put the name in once it is. */
function refreshNames(log) {
  for (const li of log.children) {
    const s = state.sessions.get(li.dataset.session);
    const btn = li.children[1];
    if (s && s.name && btn.textContent !== s.name) {
      btn.textContent = s.name;
      btn.title = s.name;
    }
  }
}

export function renderFeed(topics) {
  const log = $("hb-log");
  const body = $("hb-body");
  let resynced = false;
  if (drawnEpoch !== state.feedEpoch) {
    log.replaceChildren();
    drawnEpoch = state.feedEpoch;
    drawnSeq = state.feedSeq - state.feed.length;
    resynced = true;
  }
  const fresh = Math.min(state.feedSeq - drawnSeq, state.feed.length);
  if (fresh > 0) {
    const frag = document.createDocumentFragment();
    for (const ev of state.feed.slice(state.feed.length - fresh)) frag.append(line(ev));
    log.append(frag);
    drawnSeq = state.feedSeq;
  }
  while (log.childElementCount > FEED_MAX) log.firstElementChild.remove();
  if (topics && topics.has("sessions")) refreshNames(log);
  setHidden($("hb-empty"), log.childElementCount > 0);
  setText($("hb-count"), log.childElementCount ? `(${log.childElementCount})` : "");
  // after that, CSS scroll anchoring (#hb-anchor) keeps a reader at the bottom following new
  // lines and leaves one who scrolled up where they are, without measuring the page per frame
  if (resynced) body.scrollTop = body.scrollHeight;
}

export function renderSearch() {
  const box = $("search-results");
  const sr = state.search;
  box.hidden = !sr;
  if (!sr) return box.replaceChildren();
  const head = h("div", { class: "sr-head" },
    h("span", null, sr.loading ? `Searching for “${sr.q}”…`
      : sr.error ? `Search failed: ${sr.error}` : `${sr.rows.length}${sr.rows.length >= 100 ? "+" : ""} event${sr.rows.length === 1 ? "" : "s"} match “${sr.q}”`),
    h("button", { type: "button", "data-action": "clear-search" }, "Clear"));
  const rows = (sr.rows || []).map(ev => {
    const s = state.sessions.get(ev.session_id);
    return h("li", { "data-session": ev.session_id || "" },
      h("button", { type: "button", class: "sr-row", "data-action": "open" },
        h("span", { class: "hb-time" }, fmt.dateTime(ev.created_at)),
        h("span", { class: "hb-sess" }, fmt.displayName(s, ev.session_id)),
        h("span", { class: "hb-evt" }, fmt.clip([ev.event_type, ev.tool_name, ev.command].filter(Boolean).join(" "), 200))));
  });
  fill(box, head, h("ol", { class: "sr-list", "aria-label": "Search results" }, rows));
}

/** Feed lines and search results open their session; handler(action, sessionId). */
export function bindFeed(handler) {
  for (const id of ["hb-log", "search-results"]) {
    $(id).addEventListener("click", ev => {
      const btn = ev.target.closest("[data-action]");
      if (!btn) return;
      const li = btn.closest("li[data-session]");
      handler(btn.dataset.action, li ? li.dataset.session : null);
    });
  }
}
