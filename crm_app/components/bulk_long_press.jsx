// A long press on a customer card (components/bulk_bar.py): a finger held still for HOLD_MS, or the
// context menu (a right click; the long press some browsers turn into one), calls onLongPress instead
// of showing the browser's menu. Touch events are read directly because iOS Safari never fires
// contextmenu on a long press and Chromium fires it only where its gesture detector runs. The handler
// is idempotent (it ticks the card), so a long press that also ends in a contextmenu is harmless.
import { createElement, useRef } from "react";

const HOLD_MS = 500;
const SLOP_PX = 10; // a finger that moves further is scrolling

export function LongPress({ onLongPress, children, ...props }) {
  const timer = useRef(null);
  const start = useRef(null);
  const fired = useRef(false);
  const cancel = () => {
    clearTimeout(timer.current);
    timer.current = null;
  };
  const press = () => {
    fired.current = true;
    if (onLongPress) onLongPress();
  };
  return createElement(
    "div",
    {
      ...props,
      onTouchStart: (event) => {
        const touch = event.touches[0];
        start.current = { x: touch.clientX, y: touch.clientY };
        fired.current = false;
        cancel();
        timer.current = setTimeout(() => {
          timer.current = null;
          press();
        }, HOLD_MS);
      },
      onTouchMove: (event) => {
        const touch = event.touches[0];
        const from = start.current;
        if (from && Math.hypot(touch.clientX - from.x, touch.clientY - from.y) > SLOP_PX) cancel();
      },
      // No click after a long press (a press held on the name would open the profile).
      onTouchEnd: (event) => {
        cancel();
        if (fired.current && event.cancelable) event.preventDefault();
      },
      onTouchCancel: cancel,
      onContextMenu: (event) => {
        event.preventDefault();
        cancel();
        press();
      },
    },
    children,
  );
}
