"""One simulated staff member for bench/load.py: a Locust user whose tab speaks Reflex's event protocol.

Each user signs in with its own account (load-staff-NNNN, bench/load_seed.py), then repeats, one action
a second: open the list, type a search (3-6 keystrokes), the next page, a customer's profile with its
feed, a comment, and an edit of that customer saved through the form (with its version check). An
action is what a person does; it sends the socket events a browser would send for it, back to back (a
keystroke is ``set_search``, whose answer is a redirect, then the new address's page load).
"""

from __future__ import annotations

import itertools
import random
import time
from typing import Any, ClassVar

import gevent
from locust import User, task

from bench.reflex_client import (
    Call,
    EventFailed,
    ReflexTab,
    error_toasts,
    handler,
    has_events,
    page_state,
    redirect_target,
    redirected,
)

LIST = page_state("customers", "CustomersState")
PROFILE = page_state("customer_profile", "CustomerState")
FEED = page_state("customer_feed", "CustomerFeedState")
FORM = page_state("customer_form", "CustomerFormState")
PASSWORD = "bench-password-123"
# What people start typing when they look someone up (the seed's names), before a seen name takes over.
STARTS = ("mar", "jos", "ana", "lui", "car", "gon", "rod", "and", "san", "ver", "mor", "zam", "cas",
          "tor", "rom", "her", "val", "mej", "pat", "ros", "ale", "dan", "jua", "cri", "vic")


def staff_email(i: int) -> str:
    return f"load-staff-{i:04d}@bench.test"


def _saved_or_refused(call: Call) -> bool:
    """A save's answer: a toast (saved), or the form's errors (refused, e.g. a stale version)."""
    if has_events(call):
        return True
    return any((m.get("delta") or {}).get(FORM, {}).get(k) for m in call.messages
               for k in ("form_error_rx_state_", "errors_rx_state_"))


def _edit_form(tab: ReflexTab, note: str) -> dict[str, Any]:
    """The customer form as the browser submits it, from what the tab holds, with the notes changed."""
    form: dict[str, Any] = {k: v for k, v in (tab.var(FORM, "values") or {}).items() if v not in (None, "")}
    for name, on in (tab.var(FORM, "flags") or {}).items():
        if on:
            form[name] = "on"
    for row in tab.var(FORM, "phones") or []:
        key = row["key"]
        for name in ("number", "kind", "label"):
            form[f"phones.{key}.{name}"] = row.get(name) or ""
        for name in ("whatsapp", "viber", "sms"):
            if row.get(name):
                form[f"phones.{key}.{name}"] = "on"
    for row in tab.var(FORM, "emails") or []:
        form[f"emails.{row['key']}.address"] = row.get("address") or ""
        if row.get("accepts_email"):
            form[f"emails.{row['key']}.accepts_email"] = "on"
    form["phone_primary"] = tab.var(FORM, "phone_primary") or ""
    form["email_primary"] = tab.var(FORM, "email_primary") or ""
    form["notes"] = note
    return form


class StaffTab(User):
    """A staff member's browser tab. ``base_urls`` (nodes or a proxy) are set by bench/load.py."""

    abstract = True
    base_urls: ClassVar[list[str]] = []
    hashes: ClassVar[list[str] | None] = None
    recorder: ClassVar[Any] = None  # load.Recorder: every call's time, bytes and error
    tokens: ClassVar[set[str]] = set()
    _numbers = itertools.count()

    def on_start(self) -> None:
        number = next(StaffTab._numbers)
        self.rng = random.Random(number)
        url = self.base_urls[number % len(self.base_urls)]  # round robin, as a proxy without affinity
        self.tab = ReflexTab(url, hashes=self.hashes)
        self.tab.on_call = self._record
        self.email = staff_email(number)
        self.next_action = time.monotonic()
        self.stale = 0
        self.signed_in = False
        self._sign_in()

    def _sign_in(self) -> None:
        try:
            self.tab.sign_in(self.email, PASSWORD, target="/customers")
        except EventFailed:  # recorded; tried again at the next action
            return
        self.signed_in = True
        StaffTab.tokens.add(self.tab.token)

    def on_stop(self) -> None:
        StaffTab.tokens.discard(self.tab.token)
        self.tab.close()

    def _record(self, call: Call, error: Exception | None) -> None:
        refused = error_toasts(call)
        if error is None and refused:
            error = EventFailed(f"{call.name}: error toast {refused[0]}")
        if self.recorder is not None:
            self.recorder.record(call, error)
        self.environment.events.request.fire(
            request_type="socket", name=call.name, response_time=call.seconds * 1000,
            response_length=call.bytes_in, exception=error, context={})

    def _pace(self) -> None:
        """One action a second: wait for this action's turn."""
        self.next_action += 1.0
        delay = self.next_action - time.monotonic()
        if delay > 0:
            gevent.sleep(delay)
        else:
            self.next_action = time.monotonic()  # late: no burst to catch up

    def _go(self, call: Call, label: str) -> None:
        """Follow the redirect a handler answered with: the new address's page load."""
        self.tab.navigate(redirect_target(call), label=label)

    @task
    def work_day(self) -> None:
        if not self.signed_in:
            self._pace()
            self._sign_in()
            return
        try:
            self._cycle()
        except EventFailed:  # already recorded as an error; a dropped socket is opened again
            if self.tab.sio is None or not self.tab.sio.connected:
                self._pace()
                self.tab.open("/customers", name="reconnect")

    def _cycle(self) -> None:
        tab = self.tab
        self._pace()
        tab.navigate("/customers", label="load list")
        rows = tab.var(LIST, "rows") or []
        seen = self.rng.choice(rows)["display_name"].lower() if rows else ""
        word = seen if len(seen) >= 6 and self.rng.random() < 0.7 else self.rng.choice(STARTS) + "ia"
        for typed in range(1, self.rng.randint(3, 6) + 1):
            self._pace()
            call = tab.send(handler(LIST, "set_search"), {"value": word[:typed]}, until=redirected,
                            label="set_search")
            self._go(call, "load search")
        if tab.var(LIST, "next_cursor"):  # the "next" button is shown only then
            self._pace()
            call = tab.send(handler(LIST, "next_page"), until=redirected, label="next_page")
            self._go(call, "load next page")
        rows = tab.var(LIST, "rows") or []
        if not rows:
            return
        customer_id = self.rng.choice(rows)["id"]
        self._pace()
        tab.navigate(f"/customers/{customer_id}", label="load profile")
        self._pace()
        tab.send(handler(FEED, "add_comment"), {"form": {"body": f"Llamó {self.email} {time.time():.0f}"}},
                 until=has_events, label="add_comment")
        self._pace()
        tab.send(handler(FORM, "open_edit"), {"customer_id": customer_id}, label="open_edit")
        self._pace()
        call = tab.send(handler(FORM, "submit"), {"form": _edit_form(tab, f"Revisado {time.time():.0f}")},
                        until=_saved_or_refused, label="save_customer")
        if redirected(call):
            self._go(call, "load profile")
        elif tab.var(FORM, "form_error"):
            self.stale += 1  # refused with the form's message (someone saved it meanwhile): not lost
