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
