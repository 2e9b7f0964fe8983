// The checkpoint modal (the reference's History): a list of a session's checkpoints on the
// left, the selected one's text on the right, and "New checkpoint". A native <dialog> gives
// focus containment and Escape for free.

import * as fmt from "../format.js";
import { $, h, fill } from "./h.js";

export function openCheckpoints(title) {
  $("ck-title").textContent = title;
  fill($("ck-list"), h("li", { class: "empty" }, "Loading…"));
  $("ck-content").textContent = "";
  const dlg = $("checkpoints");
  if (!dlg.open) dlg.showModal();
}

export function closeCheckpoints() {
  const dlg = $("checkpoints");
  if (dlg.open) dlg.close();
}

export function checkpointsOpen() {
  return $("checkpoints").open;
}

export function renderCheckpointList(list, error) {
  const ul = $("ck-list");
  if (error) return fill(ul, h("li", { class: "error" }, "Could not list checkpoints: " + error));
  if (!list.length) {
    $("ck-content").textContent = "";
    return fill(ul, h("li", { class: "empty" }, "No checkpoints yet."));
  }
  fill(ul, list.map(c => h("li", null,
    h("button", { type: "button", class: "ckitem", "data-name": c.name, "aria-pressed": "false" },
      h("span", null, c.name), h("span", { class: "when" }, fmt.timeAgo(c.modified))))));
}

export function selectCheckpoint(name, text) {
  for (const b of $("ck-list").querySelectorAll(".ckitem")) b.setAttribute("aria-pressed", String(b.dataset.name === name));
  $("ck-content").textContent = text;
}

/** handlers: select(name), create(), close() */
export function bindCheckpoints({ select, create, close }) {
  $("ck-list").addEventListener("click", ev => {
    const b = ev.target.closest(".ckitem");
    if (b) select(b.dataset.name);
  });
  $("ck-new").addEventListener("click", create);
  $("ck-close").addEventListener("click", close);
  $("checkpoints").addEventListener("click", ev => {
    if (ev.target === $("checkpoints")) close(); // a click on the backdrop
  });
}
