"""``/api/unsubscribe/<token>``: the link at the foot of every campaign e-mail, and its headers' target.

- ``GET`` answers a small page in the organization's language with one button: a mail scanner that
  follows links must not unsubscribe anybody.
- ``POST`` unsubscribes: from that page's form, or straight from the mail client (RFC 8058 one-click:
  ``List-Unsubscribe=One-Click`` in a form body), and answers the confirmation page.

No session: the signed token is the capability (services/campaigns/unsubscribe.py). A token that is
not ours answers 404. Nothing is cached.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from crm_app.api.auth import DbSession
from crm_app.i18n import DEFAULT_LANGUAGE, t
from crm_app.services.campaigns import unsubscribe as unsubscribe_service
from crm_app.services.campaigns.unsubscribe import Unsubscribe

router = APIRouter(prefix="/api/unsubscribe", tags=["unsubscribe"])
HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
_STYLE = ("body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;"
          "color:#1a1a1a;line-height:1.5}button{min-height:44px;padding:0 1.25rem;font-size:1rem;"
          "border-radius:6px;border:0;background:#0b5cad;color:#fff;cursor:pointer}")


def _page(lang: str, title: str, body: str, status: int = 200) -> HTMLResponse:
    html = (f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
            f"<body><main><h1>{escape(title)}</h1>{body}</main></body></html>")
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def _not_found() -> HTMLResponse:
    lang = DEFAULT_LANGUAGE
    return _page(lang, t("camp_unsub_unknown_title", lang), f"<p>{escape(t('camp_unsub_unknown', lang))}</p>",
                 status=404)


def _done_page(done: Unsubscribe) -> HTMLResponse:
    """The address has left: now, or (``already``) before."""
    lang = done.language
    key = "camp_unsub_already" if done.already else "camp_unsub_done"
    said = t(key, lang, address=done.masked_address, organization=done.organization)
    return _page(lang, t("camp_unsub_done_title", lang), f"<p>{escape(said)}</p>")


@router.get("/{token}", response_class=HTMLResponse)
def confirm_page(token: str, session: DbSession) -> HTMLResponse:
    found = unsubscribe_service.describe(session=session, token=token)
    if found is None:
        return _not_found()
    lang = found.language
    if found.already:
        return _done_page(found)
    question = t("camp_unsub_question", lang, address=found.masked_address, organization=found.organization)
    return _page(lang, t("camp_unsub_title", lang, organization=found.organization),
                 f"<p>{escape(question)}</p>"
                 f'<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">'
                 f'<button type="submit">{escape(t("camp_unsub_button", lang))}</button></form>')


@router.post("/{token}", response_class=HTMLResponse)
def unsubscribe(token: str, session: DbSession) -> HTMLResponse:
    """One click: whatever the body says (a one-click POST, the page's form), the address leaves."""
    done = unsubscribe_service.unsubscribe(session=session, token=token)
    if done is None:
        return _not_found()
    return _done_page(done)
