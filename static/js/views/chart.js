// Cost over time, drawn as hand-written SVG: the running total of the listed sessions' cost,
// each session counted at its last activity. Sessions whose cost is unknown (cost_usd null)
// are counted aside rather than as $0. Labels are HTML beside the SVG so they never stretch.

import { lastActivity, visibleSessions } from "../store.js";
import * as fmt from "../format.js";
import { $, h, svg, fill, setText } from "./h.js";

const W = 600, H = 100;

let lastSig = "";

export function renderCost() {
  const sessions = visibleSessions();
  const priced = sessions.filter(s => s.cost_usd != null && !Number.isNaN(lastActivity(s)))
    .map(s => ({ t: lastActivity(s), c: Number(s.cost_usd) || 0 }))
    .sort((a, b) => a.t - b.t);
  const unknown = sessions.filter(s => s.cost_usd == null).length;
  const total = priced.reduce((sum, p) => sum + p.c, 0);
  const sig = JSON.stringify([priced, unknown]);
  if (sig === lastSig) return;
  lastSig = sig;

  setText($("cost-total"), "— " + fmt.cost(total) + (unknown ? ` (+${unknown} unknown)` : ""));
  const box = $("cost-chart");
  if (priced.length === 0) {
    fill(box, h("p", { class: "empty" }, unknown ? `No priced sessions yet (${unknown} with unknown cost).` : "No cost recorded yet."));
    return;
  }
  // at least an hour wide, ending at the last priced activity, so a burst is a step, not a block
  const t1 = priced[priced.length - 1].t, t0 = Math.min(priced[0].t, t1 - 3600000);
  const x = t => ((t - t0) / (t1 - t0)) * W;
  const y = c => H - 4 - (total > 0 ? (c / total) * (H - 8) : 0);
  let run = 0;
  let d = `M0 ${y(0)}`;
  for (const p of priced) {
    d += ` H${x(p.t).toFixed(1)}`;
    run += p.c;
    d += ` V${y(run).toFixed(1)}`;
  }
  d += ` H${W}`;
  const label = `Running cost of ${priced.length} sessions: ${fmt.cost(total)} from ${fmt.dateTime(t0)} to ${fmt.dateTime(t1)}`
    + (unknown ? `; ${unknown} sessions have unknown cost` : "");
  fill(box,
    svg("svg", { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none", role: "img", "aria-label": label, class: "chart" },
      svg("title", null, label),
      svg("line", { x1: 0, x2: W, y1: H - 4, y2: H - 4, class: "axis" }),
      svg("path", { d: d + ` V${H - 4} H0 Z`, class: "area" }),
      svg("path", { d, class: "line" })),
    h("div", { class: "chart-axis", "aria-hidden": "true" },
      h("span", null, fmt.dateTime(t0)), h("span", null, "total " + fmt.cost(total)), h("span", null, fmt.dateTime(t1))));
}
