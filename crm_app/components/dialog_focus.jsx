// Where keyboard focus goes around dialogs and forms.
//
// Our dialogs are opened by server state (no Radix Dialog.Trigger), so Radix has no trigger to give
// focus back to when one closes and focus falls to <body>. We remember the elements focused most
// recently; while a dialog is open its focus trap keeps focus inside, so the newest element outside
// the closing dialog and still in the page is the one that opened it (a button, a menu's trigger,
// the outer dialog).
import { createElement, useEffect, useRef } from "react";

const recent = [];
const KEEP = 20;

function remember(element) {
  const index = recent.indexOf(element);
  if (index >= 0) recent.splice(index, 1);
  recent.push(element);
  if (recent.length > KEEP) recent.shift();
}

if (typeof document !== "undefined") {
  document.addEventListener("focusin", (event) => {
    // A menu's trigger does not take focus when clicked: remember it when focus enters its menu,
    // so a dialog opened from a menu item gives focus back to the menu's button.
    const menu = event.target.closest?.('[role="menu"]');
    const trigger = menu?.id && document.querySelector(`[aria-controls="${CSS.escape(menu.id)}"]`);
    if (trigger) remember(trigger);
    remember(event.target);
  });
}

// The same control after a re-render that replaced its element (same id, or same name in the page).
function sameControl(element) {
  if (element.id) return document.getElementById(element.id);
  const label = element.getAttribute("aria-label");
  if (label) {
    const found = document.querySelectorAll(`${element.tagName}[aria-label="${CSS.escape(label)}"]`);
    if (found.length === 1) return found[0];
  }
  return null;
}

// Radix's onCloseAutoFocus: the event's target is the closing dialog's content.
export function returnFocus(event) {
  event.preventDefault();
  const dialog = event.target;
  for (let i = recent.length - 1; i >= 0; i--) {
    const element = recent[i];
    if (dialog instanceof Node && dialog.contains(element)) continue;
    // Gone (a menu that opened the dialog, a page left behind): the one focused before it.
    const target = element.isConnected ? element : sameControl(element);
    if (target) {
      target.focus();
      return;
    }
  }
}

// Rendered inside a form (or a dialog): each time ``signal`` changes (a refused save), focus the
// first field marked aria-invalid and bring it into view. The value it mounts with is old news.
export function FocusFirstInvalid({ signal }) {
  const marker = useRef(null);
  const seen = useRef(signal);
  useEffect(() => {
    if (signal === seen.current || !marker.current) return;
    seen.current = signal;
    const scope = marker.current.closest('form, [role="dialog"], [role="alertdialog"]') ?? document;
    const field = scope.querySelector('[aria-invalid="true"]');
    if (!field) return;
    field.focus({ preventScroll: true });
    field.scrollIntoView({ block: "center" });
  }, [signal]);
  return createElement("span", { ref: marker, hidden: true });
}
