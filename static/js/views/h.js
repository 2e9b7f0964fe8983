// Builds DOM nodes. Text always goes in as text nodes, never as HTML, so a command, a prompt or
// a session name from the server cannot inject markup: this is the only way views make nodes.

const SVG_NS = "http://www.w3.org/2000/svg";

function build(el, attrs, kids) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === "class") el.setAttribute("class", Array.isArray(v) ? v.filter(Boolean).join(" ") : v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k.startsWith("on")) throw new Error("use delegated listeners, not " + k); // CSP and one listener per list
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, kids);
  return el;
}

function append(el, kids) {
  for (const kid of kids) {
    if (kid == null || kid === false) continue;
    if (Array.isArray(kid)) append(el, kid);
    else el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
}

/** h("button", {class: "primary", "data-action": "approve"}, "Approve") */
export function h(tag, attrs, ...kids) {
  return build(document.createElement(tag), attrs, kids);
}

export function svg(tag, attrs, ...kids) {
  return build(document.createElementNS(SVG_NS, tag), attrs, kids);
}

export const $ = id => document.getElementById(id);

/** Replaces an element's children. */
export function fill(el, ...kids) {
  el.replaceChildren();
  append(el, kids);
}

/**
 * Runs a redraw of `container` and puts the focus back on the equivalent control (same
 * data-action and data-name) if it was inside, so live updates never steal a keyboard user's place.
 */
export function keepFocus(container, redraw) {
  const active = document.activeElement;
  const inside = active && active !== container && container.contains(active);
  const action = inside ? active.dataset.action : null;
  const name = inside ? active.dataset.name : null;
  redraw();
  if (!inside || document.contains(active)) return;
  const sel = action ? `[data-action="${CSS.escape(action)}"]` + (name ? `[data-name="${CSS.escape(name)}"]` : "") : null;
  const target = sel && container.querySelector(sel);
  if (target) target.focus({ preventScroll: true });
}

/** Offers text as a file download (a blob link, clicked and revoked). */
export function saveFile(filename, text, type = "application/x-ndjson") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/**
 * Sets text or visibility only when it differs: writing the same text still replaces the text
 * node, and each such write outside a contained pane costs a repaint of the whole page.
 */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

export function setHidden(el, hidden) {
  if (el.hidden !== hidden) el.hidden = hidden;
}
