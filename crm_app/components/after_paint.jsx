// Its children render once the browser has painted what came before them (components/mounted.py):
// a page shows its top at once and builds the rest in the next task, instead of one long task
// before anything appears.
import { useEffect, useState } from "react";

export function AfterPaint({ children }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    // requestAnimationFrame runs before the next paint; the timeout after it, once that paint is done.
    let timer;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setReady(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  return ready ? children : null;
}
