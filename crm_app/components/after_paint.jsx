// Its children render once the browser has painted what came before them (components/mounted.py):
// a page shows its top at once and builds the rest in the next task, instead of one long task
// before anything appears. ``wait={false}`` renders them at once (a list's first rows).
import { startTransition, useEffect, useState } from "react";

// Every instance mounted by one render flips in the same task after the next paint, so the rest of
// a list is one React render, not one per row; a transition, so React renders it in slices that let
// a tap (or a scroll) in between.
const waiting = new Set();
let scheduled = false;

function afterNextPaint(flip) {
  waiting.add(flip);
  if (!scheduled) {
    scheduled = true;
    // requestAnimationFrame runs before the next paint; the timeout after it, once that paint is done.
    requestAnimationFrame(() => {
      setTimeout(() => {
        scheduled = false;
        const flips = [...waiting];
        waiting.clear();
        startTransition(() => flips.forEach((each) => each()));
      }, 0);
    });
  }
  return () => waiting.delete(flip);
}

export function AfterPaint({ children, wait = true }) {
  const [ready, setReady] = useState(!wait);
  useEffect(() => (ready ? undefined : afterNextPaint(() => setReady(true))), [ready]);
  return ready ? children : null;
}
