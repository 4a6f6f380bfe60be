"""Feed entries (services/feed.py) turned into the rows the profile shows, in the reader's language.

One describer per kind in :data:`DESCRIBERS` fills a :class:`FeedItem`: a summary line, and the
parts the row shows when present (change lines, a comment's text, a task, a file). A later kind
(messages, invitations, imports, merges) is one small function here plus its entry in
``services.feed.KINDS``; the row component needs no change unless it brings a new kind of part.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from crm_app.domain import local_time
from crm_app.i18n import t
from crm_app.models.messaging import LOGGED_ONLY
from crm_app.services.bulk.records import describe
from crm_app.services.feed import FeedEntry


@dataclasses.dataclass
class ChangeLine:
    label: str
    before: str = ""
    after: str = ""
    text: str = ""  # lines without before/after: "Teléfono agregado: +593…"
    highlight: bool = False


@dataclasses.dataclass
class TaskParts:
    """A task as a row shows it, in the feed and in "My tasks" (see :func:`task_fields`)."""

    task_title: str = ""
    task_due: str = ""  # relative: "dentro de 1 día"
    task_due_exact: str = ""
    task_assignee: str = ""
    task_done: bool = False
    task_overdue: bool = False


@dataclasses.dataclass
class FeedItem(TaskParts):
    id: int = 0
    kind: str = ""
    icon: str = ""
    summary: str = ""
    author: str = ""
    when: str = ""  # relative: "hace 5 minutos"
    when_exact: str = ""  # shown on hover: "23 nov 2026, 10:38" in the organization's time zone
    changes: list[ChangeLine] = dataclasses.field(default_factory=list)
    body: str = ""
    edited: bool = False
    can_edit: bool = False
    ref_id: int = 0
    note: str = ""  # a warning under the summary: a message only logged, never sent
    file_name: str = ""
    file_size: str = ""
    file_url: str = ""
    thumb_url: str = ""
    link: str = ""  # the order, sale or lead the event is about
    link_label: str = ""


@dataclasses.dataclass(frozen=True)
class Reader(local_time.Clock):
    """Who reads the feed and how: language, organization time zone and now (the clock), currency."""

    currency: str
    user_id: int
    is_admin: bool

    def tr(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)


# --- change lines -------------------------------------------------------------------------------------

_LABELS = {"channel": "channel", "phone": "phone", "email": "email", "tags": "tags"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _label(field: str, r: Reader) -> str:
    key = _LABELS.get(field, field)
    text = r.tr(key)
    return text if text != key else field


def _value(field: str, raw: str, r: Reader) -> str:
    """A stored value ("true", "250.50", "2026-01-31", "company") the way the reader expects it."""
    if raw == "":
        return "—"
    if raw in {"true", "false"}:
        return r.tr("yes" if raw == "true" else "no")
    try:
        if field == "credit_limit":
            return r.money(Decimal(raw), r.currency)
        # The birthday, and a custom date field's value recorded before it was stored formatted.
        if field == "birthday" or (field == "custom" and _ISO_DATE.fullmatch(raw)):
            return r.plain_date(date.fromisoformat(raw))
    except (InvalidOperation, ValueError):
        return raw
    if field == "client_type":
        return r.tr(f"client_type_{raw}")
    if field == "tax_id_type":
        return r.tr(f"tax_type_{raw}")
    return raw


def _custom_line(change: dict[str, Any], r: Reader) -> ChangeLine:
    """A custom field's change: its label and values were stored in both languages."""

    def pick(value: Any) -> str:
        return str(value.get(r.lang) or value.get("es") or "") if isinstance(value, dict) else ""

    return ChangeLine(label=pick(change.get("label")), before=_value("custom", pick(change.get("before")), r),
                      after=_value("custom", pick(change.get("after")), r))


def change_line(change: dict[str, Any], r: Reader) -> ChangeLine:
    field = str(change.get("field", ""))
    if field == "custom":
        return _custom_line(change, r)
    label = _label(field, r)
    if "op" in change:
        text = r.tr(f"feed_op_{change['op']}", value=change.get("value", ""))
        return ChangeLine(label=label, text=text)
    return ChangeLine(
        label=label,
        before=_value(field, str(change.get("before", "")), r),
        after=_value(field, str(change.get("after", "")), r),
        highlight=bool(change.get("highlight")),
    )


def _changes(entry: FeedEntry, r: Reader) -> list[ChangeLine]:
    return [change_line(c, r) for c in entry.data.get("changes", []) if isinstance(c, dict)]


# --- one describer per kind ---------------------------------------------------------------------------


def _created(entry: FeedEntry, r: Reader) -> dict[str, Any]:
    imported = entry.data.get("import")
    if isinstance(imported, dict):  # "imported from clientes.xlsx, row 12"
        summary = r.tr("feed_imported", file=str(imported.get("file", "")), row=imported.get("row", ""))
    else:
        summary = r.tr("feed_created", source=r.tr(f"source_{entry.data.get('source', 'form')}"))
    return {"icon": "user_plus", "summary": summary, "changes": _changes(entry, r)}


def _updated(entry: FeedEntry, r: Reader) -> dict[str, Any]:
    return {"icon": "pencil", "summary": r.tr("feed_updated"), "changes": _changes(entry, r)}


def _deleted(entry: FeedEntry, r: Reader) -> dict[str, Any]:
    return {"icon": "trash_2", "summary": r.tr("feed_deleted")}


def _restored(entry: FeedEntry, r: Reader) -> dict[str, Any]:
    return {"icon": "undo_2", "summary": r.tr("feed_restored")}


def _merged_names(entry: FeedEntry, key: str) -> str:
    people = entry.data.get(key) or []
    return ", ".join(str(p.get("name") or f"#{p.get('id')}") for p in people if isinstance(p, dict))


def _merged(entry: FeedEntry, r: Reader) -> dict[str, Any]:
    """A merge into this customer: whom, and one line per kind of record that moved ("Pedidos: 3")."""
    moved = entry.data.get("moved") or {}
    lines = [ChangeLine(label=r.tr(f"feed_merge_moved_{key}"), text=str(count))
             for key, count in moved.items() if isinstance(count, int) and count]
    return {"icon": "merge", "summary": r.tr("feed_customer_merged", names=_merged_names(entry, "merged")),
            "changes": lines}


def _merge_undone(entry: FeedEntry, r: Reader) -> dict[str, Any]:
    return {"icon": "split", "summary": r.tr("feed_customer_merge_undone",
                                             names=_merged_names(entry, "restored"))}


def _bulk_change(entry: FeedEntry, r: Reader) -> dict[str, Any]:
    """A bulk action (or its undo) that reached this customer: what it did, in words."""
    params = entry.data.get("params")
    what = describe(str(entry.data.get("kind", "")), params if isinstance(params, dict) else {}, r.lang)
    key = "feed_bulk_undone" if entry.data.get("undo") else "feed_bulk_change"
    return {"icon": "list_checks", "summary": r.tr(key, what=what)}


def _comment(entry: FeedEntry, r: Reader) -> dict[str, Any]:
    ref = entry.ref or {}
    mine = ref.get("author_id") == r.user_id
    return {"icon": "message_square", "summary": r.tr("feed_commented"), "body": ref.get("body", ""),
            "edited": ref.get("edited_at") is not None, "can_edit": mine or r.is_admin}


def task_fields(ref: dict[str, Any], r: Reader) -> dict[str, Any]:
    """A task's parts as the feed and "My tasks" show them (due relative and exact, overdue)."""
    due = ref.get("due_at")
    done = ref.get("done_at") is not None
    return {
        "task_title": ref.get("title", ""),
        "task_due": r.relative(due) if due else "",
        "task_due_exact": r.exact(due) if due else "",
        "task_assignee": ref.get("assignee_name", ""),
        "task_done": done,
        "task_overdue": bool(due) and not done and due < r.now,
    }


def _task(entry: FeedEntry, r: Reader) -> dict[str, Any]:
    return {"icon": "list_checks", "summary": r.tr("feed_task"), **task_fields(entry.ref or {}, r)}


def _file(entry: FeedEntry, r: Reader) -> dict[str, Any]:
    ref = entry.ref or {}
    url = f"/api/files/{entry.ref_id}"
    return {
        "icon": "paperclip",
        "summary": r.tr("feed_file"),
        "file_name": ref.get("name", ""),
        "file_size": local_time.file_size(int(ref.get("size") or 0), r.lang),
        "file_url": url,
        "thumb_url": f"{url}/thumbnail" if ref.get("has_thumbnail") else "",
    }


def logged_only_note(status: str, channel: str, lang: str) -> str:
    """Why a message was only logged, and that the customer got nothing; "" for any other status."""
    if status != LOGGED_ONLY:
        return ""
    return t("logged_only_reason_email" if channel == "email" else "logged_only_reason_phone", lang)


def _message(entry: FeedEntry, r: Reader) -> dict[str, Any]:
    ref = entry.ref or {}
    channel = ref.get("channel") or entry.data.get("channel", "")
    status = r.tr(f"feed_message_status_{ref.get('status', 'queued')}")
    if ref.get("status") == "failed" and ref.get("error"):
        status = f"{status}: {ref['error']}"
    # An e-mail's body is HTML: the row shows its subject; SMS and WhatsApp show their text.
    body = ref.get("subject", "") if channel == "email" else ref.get("body", "")
    note = logged_only_note(ref.get("status", ""), channel, r.lang)
    # Only logged: "wrote", not "sent", and the reason under it.
    recipient = (ref.get("recipient") or entry.data.get("recipient", "")) + _of_campaign(entry, r)
    summary = r.tr("feed_message_logged" if note else "feed_message", channel=r.tr(f"feed_channel_{channel}"),
                   recipient=recipient, status=status)
    return {"icon": "send", "summary": summary, "body": body, "note": note, **_campaign_link(entry, r)}


def _of_campaign(entry: FeedEntry, r: Reader) -> str:
    """" (campaña «Rebajas»)" when the event came from an e-mail campaign, else ""."""
    name = entry.data.get("campaign")
    return r.tr("feed_of_campaign", campaign=name) if isinstance(name, str) and name else ""


def _campaign_link(entry: FeedEntry, r: Reader) -> dict[str, str]:
    """The campaign's report, for admins (only they open campaigns)."""
    campaign_id, name = entry.data.get("campaign_id"), entry.data.get("campaign")
    if not r.is_admin or not isinstance(campaign_id, int) or isinstance(campaign_id, bool):
        return {}
    return {"link": f"/campaigns/{campaign_id}",
            "link_label": r.tr("feed_open_campaign", campaign=name or "")}


def _unsubscribed(entry: FeedEntry, r: Reader) -> dict[str, Any]:
    """The customer himself withdrew an address's consent (a campaign's unsubscribe link)."""
    summary = r.tr("feed_unsubscribed", address=str(entry.data.get("address", "")))
    return {"icon": "mail_x", "author": r.tr("feed_the_customer"),
            "summary": summary + _of_campaign(entry, r), **_campaign_link(entry, r)}


def _invitation(entry: FeedEntry, r: Reader) -> dict[str, Any]:
    return {"icon": "mail_plus", "summary": r.tr("feed_invitation", email=entry.data.get("email", ""),
                                                 inviter=entry.data.get("invited_by", ""))}


def _account(key: str) -> Describer:
    """Account events: the account's own ones, and membership events shown in the member's feed."""

    def describe(entry: FeedEntry, r: Reader) -> dict[str, Any]:
        data = entry.data
        role = {k: r.tr(f"member_role_{data[k]}") for k in ("role", "before", "after") if data.get(k)}
        return {"icon": "building_2", "summary": r.tr(key, account=data.get("account_name") or
                                                      data.get("name", ""), **role)}

    return describe


_DOCUMENTS = {
    "order": ("clipboard_list", "/orders/"), "sale": ("receipt", "/sales/"), "lead": ("target", "/leads/"),
}


def _document(key: str) -> Describer:
    """Order, sale and lead events: their number (or the lead's name), figures and statuses as recorded,
    with a link to the document."""
    kind = key.split("_")[1]
    icon, route = _DOCUMENTS[kind]

    def describe(entry: FeedEntry, r: Reader) -> dict[str, Any]:
        data = entry.data
        params = {
            "number": f"#{data.get('number', '')}", "type": data.get("type", ""),
            "name": data.get("name", ""),
            "customer": data.get("customer", ""),
            "total": r.money(Decimal(str(data.get("total") or 0)), data.get("currency") or r.currency),
            "method": r.tr(f"payment_method_{data.get('payment_method', 'cash')}"),
        }
        for k in ("before", "after"):
            params[k] = r.tr(f"{kind}_status_{data.get(k, '')}") if data.get(k) else ""
        # A deleted document's page is gone: its event names it without a link.
        link = f"{route}{entry.ref_id}" if entry.ref_id and not key.endswith("_deleted") else ""
        summary = r.tr("feed_lead_linked" if data.get("linked") else key, **params)
        what = params["name"] if kind == "lead" else params["number"]
        return {"icon": icon, "summary": summary, "link": link,
                "link_label": r.tr("feed_open_document", what=what) if link else ""}

    return describe


Describer = Callable[[FeedEntry, Reader], dict[str, Any]]

DESCRIBERS: dict[str, Describer] = {
    "customer_created": _created,
    "customer_updated": _updated,
    "customer_deleted": _deleted,
    "customer_restored": _restored,
    "customer_merged": _merged,
    "customer_merge_undone": _merge_undone,
    "bulk_change": _bulk_change,
    "comment": _comment,
    "task": _task,
    "file": _file,
    "message": _message,
    "unsubscribed": _unsubscribed,
    "invitation": _invitation,
    "account_created": _account("feed_account_created"),
    "account_updated": _account("feed_account_updated"),
    "account_deleted": _account("feed_account_deleted"),
    "member_added": _account("feed_member_added"),
    "member_removed": _account("feed_member_removed"),
    "member_role_changed": _account("feed_member_role_changed"),
    **{kind: _document(f"feed_{kind}") for kind in (
        "order_created", "order_updated", "order_status_changed", "order_deleted", "sale_recorded",
        "sale_cancelled", "sale_paid", "sale_deleted", "lead_created", "lead_updated", "lead_status_changed",
        "lead_converted", "lead_deleted")},
}


def _unknown(entry: FeedEntry, r: Reader) -> dict[str, Any]:
    # A kind recorded by a newer version than this one: still shown, by its name.
    return {"icon": "circle_dot", "summary": entry.kind}


VIA_KINDS = ("api_key", "web_form", "lead_ads")


def _author(entry: FeedEntry, r: Reader) -> str:
    """Who made it, and through what when not in the app: "Ana · vía clave API «Tienda web»"."""
    author = entry.actor_name or r.tr("feed_system")
    via = entry.data.get("via")
    if isinstance(via, dict) and via.get("kind") in VIA_KINDS:
        return r.tr(f"api_feed_via_{via['kind']}", author=author, name=str(via.get("name", "")))
    return author


def feed_item(entry: FeedEntry, r: Reader) -> FeedItem:
    parts = DESCRIBERS.get(entry.kind, _unknown)(entry, r)
    author = parts.pop("author", None) or _author(entry, r)  # a describer may name who did it
    return FeedItem(
        id=entry.id,
        kind=entry.kind,
        author=author,
        when=r.relative(entry.created_at),
        when_exact=r.exact(entry.created_at),
        ref_id=entry.ref_id or 0,
        **parts,
    )
