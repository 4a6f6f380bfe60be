"""The isolation matrix: every event handler of every state, its class of access and what to forge.

tests/services/test_isolation_matrix.py walks every ``rx.State`` subclass of crm_app.states and
fails for a handler with no entry here, so a new handler cannot ship without saying who may call it.

Classes of access:
- PUBLIC: no session needed (sign-in, register, setup, language...); the reason is given.
- UI: touches neither the database nor data the tab did not already hold (opens a dialog, edits a
  draft); it is called like the others and must leave the database alone and leak nothing.
- SIGNED_IN: any signed-in staff user of the organization.
- ADMIN: admins only; also called as a sales user of the victim organization.

Keys are ``State.handler``; a class name two modules share is prefixed with its module
(``account.AccountState`` is the account page, ``auth.AccountState`` the user's own account).
``args`` receives the victim organization's ids (``Victim``) and returns the forged arguments.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from crm_app.domain.accounts import AccountInput
from crm_app.domain.api_keys import api_key_hash
from crm_app.domain.bulk import BulkRequest, Selection
from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.domain.documents import LineInput
from crm_app.domain.form_edits import CustomFieldInput
from crm_app.domain.leads import LeadInput
from crm_app.domain.orders import OrderInput
from crm_app.domain.sales import SaleInput
from crm_app.models import Campaign, CampaignRecipient, CustomerSegment, StoredFile
from crm_app.models.integrations import ApiKey, LeadAdsConnector, WebForm, WebhookEndpoint
from crm_app.services import (
    account_members,
    accounts,
    admin_settings,
    comments,
    customer_import,
    customers,
    form_config,
    invitations,
    orders,
    tag_admin,
    tasks,
)
from crm_app.services import bulk as bulk_service
from crm_app.services import leads as lead_service
from crm_app.services import sales as sale_service
from crm_app.services import templates as template_service
from crm_app.states.bulk_history import HistoryRow
from tests.db import run_like_app
from tests.factories import make_org, make_user

PUBLIC, UI, SIGNED_IN, ADMIN = "public", "ui", "signed_in", "admin"


@dataclass(frozen=True)
class Victim:
    """Organization A: its ids (to forge) and strings that must never reach another tab."""

    org_id: int
    admin_id: int
    sales_id: int
    customer_id: int
    phone_id: int
    email_id: int
    comment_id: int
    task_id: int
    account_id: int
    template_id: int
    invitation_id: int
    field_id: int
    option_id: int
    tag_id: int
    tag2_id: int
    channel_id: int
    order_type_id: int
    file_id: int
    import_id: int
    lead_id: int
    order_id: int
    sale_id: int
    markers: tuple[str, ...]  # org A's data: must not appear in another organization's tab
    admin_markers: tuple[str, ...]  # what only org A's admins see: never in a sales user's tab
    webhook_id: int = 0
    api_key_id: int = 0
    web_form_id: int = 0
    campaign_id: int = 0  # issue 15: a draft campaign
    sent_campaign_id: int = 0  # issue 15: a campaign that is sending
    segment_id: int = 0
    bulk_action_id: int = 0  # issue 16: a bulk tag of the customer


def build_victim(session: Session) -> Victim:
    """Organization A with one of everything, created through the services."""
    _, admin = make_org(session, "Andina Victima", admin_email="victima.admin@andina.example",
                        admin_name="Vicky Secreta")
    _, sales, _ = make_user(session, admin, email="victima.ventas@andina.example", name="Vendedor Andino")
    make_user(session, admin, email="victima.colega@andina.example", name="Colega Oculto")

    def call(fn, **kwargs):
        return run_like_app(session, fn, actor=admin, **kwargs)

    channel_id, _ = call(customers.create_channel, name="Canal Andino")
    customer = call(customers.create_customer, data=CustomerInput(
        first_name="Clienta", last_name="Andinavictima", notes="Nota andina secreta", channel_id=channel_id,
        phones=(PhoneInput("0991234567", sms=True, whatsapp=True),),
        emails=(EmailInput("clienta.victima@andina.example", accepts_email=True),),
        tags=("EtiquetaAndina", "OtraAndina")))
    comment_id = call(comments.add_comment, customer_id=customer.id, body="Comentario andino secreto")
    task_id = call(tasks.create_task, customer_id=customer.id, data=tasks.TaskInput(title="Tarea andina"))
    account = call(accounts.create_account, data=AccountInput(name="Cuenta Andina Victima"))
    call(account_members.add_member, account_id=account.id, customer_id=customer.id)
    template = call(template_service.save_template, data=template_service.TemplateInput(
        channel="sms", name="Plantilla Andina", body="Hola {{ first_name }}"))
    invitation_id, _ = call(invitations.invite, data=invitations.InvitationInput(
        email="invitado.victima@andina.example", subject="Invitacion andina", body="Hola"))
    field = call(form_config.create_custom_field, client_type="person", data=CustomFieldInput(
        kind="choice", label_es="Campo Andino", options=((None, "Opcion Andina", ""),)))
    order_type = call(admin_settings.add_entry, list_name="order_types", name="Pedido Andino",
                      color="#123456")
    order = call(orders.create_order, data=OrderInput(order_type_id=order_type.id, customer_id=customer.id,
                                                      lines=(LineInput("Pedido andino secreto", "1", "10"),)))
    lead = call(lead_service.create_lead, data=LeadInput(name="Lead Andino Secreto", phone="0991234567",
                                                         email="lead.victima@andina.example"))
    sale = call(sale_service.create_sale, data=SaleInput(
        customer_id=customer.id, lines=(LineInput("Venta andina secreta", "1", "10"),)))
    tag_ids = [t.id for t in tag_admin.list_tag_page(session=session, actor=admin)[0]]
    bulk_action = call(bulk_service.start, selection=Selection(ids=(customer.id,)),  # issue 16
                       request=BulkRequest("tag_add", {"tag": "ZonaAndina"}))
    stored = StoredFile(organization_id=admin.organization_id, customer_id=customer.id,
                        uploaded_by=admin.user_id, storage_key=secrets.token_hex(16),
                        original_name="archivo-andino.pdf",
                        content_type="application/pdf", size=4, sha256="0" * 64)
    session.add(stored)
    # Written directly: the service would resolve the name (no network in tests).
    webhook = WebhookEndpoint(organization_id=admin.organization_id, url="https://hooks.andina.example/victima",
                              events="customer.created", secret="whsec_andino", created_by=admin.user_id)
    session.add(webhook)
    api_key = ApiKey(organization_id=admin.organization_id, name="Clave Andina", prefix="clk_andina",
                     key_hash=api_key_hash("clk_andina_victima"), scopes="customers:read",
                     created_by=admin.user_id)
    session.add(api_key)
    web_form = WebForm(organization_id=admin.organization_id, public_key="wf_andino_victima",
                       name="Formulario Andino", allowed_origins="https://tienda.andina.example",
                       created_by=admin.user_id)
    session.add(web_form)
    session.add(LeadAdsConnector(organization_id=admin.organization_id, public_key="la_andino_victima",
                                 verify_token="verif_andino", app_secret="secreto_andino",
                                 page_token="token_andino", field_mapping='{"full_name": "name"}',
                                 created_by=admin.user_id))
    # issue 15: campaigns (written directly: the start would prepare them in the job runner)
    segment = CustomerSegment(organization_id=admin.organization_id, name="Segmento Andino",
                              query="tags=EtiquetaAndina", created_by=admin.user_id)
    session.add(segment)
    session.flush()
    draft = Campaign(organization_id=admin.organization_id, name="Campaña Andina Borrador",
                     segment_id=segment.id, query="tags=EtiquetaAndina", created_by=admin.user_id)
    sending = Campaign(organization_id=admin.organization_id, name="Campaña Andina Enviada", status="sending",
                       subject="Asunto andino", body="Hola", query="tags=EtiquetaAndina", recipients=1,
                       created_by=admin.user_id)
    session.add_all([draft, sending])
    session.flush()
    session.add(CampaignRecipient(organization_id=admin.organization_id, campaign_id=sending.id,
                                  customer_id=customer.id, address="clienta.victima@andina.example"))
    session.commit()
    with tempfile.TemporaryDirectory() as folder:
        sheet = Path(folder) / "importacion-andina.csv"
        sheet.write_text("Nombres;Apellidos\nImportada;Andinavictima\n", encoding="utf-8")
        with sheet.open("rb") as source:
            imported = call(customer_import.register_upload, source=source, file_name=sheet.name)
    return Victim(
        org_id=admin.organization_id, admin_id=admin.user_id, sales_id=sales.user_id,
        customer_id=customer.id, phone_id=customer.phones[0].id, email_id=customer.emails[0].id,
        comment_id=comment_id, task_id=task_id, lead_id=lead.id,
        account_id=account.id, template_id=template.id, invitation_id=invitation_id, field_id=field.id,
        option_id=field.options[0].id, tag_id=tag_ids[0], tag2_id=tag_ids[1], channel_id=channel_id,
        order_type_id=order_type.id, file_id=stored.id, import_id=imported.id, order_id=order.id,
        sale_id=sale.id, webhook_id=webhook.id, api_key_id=api_key.id, web_form_id=web_form.id,
        campaign_id=draft.id, sent_campaign_id=sending.id, segment_id=segment.id,
        bulk_action_id=bulk_action.id,
        markers=("Andina Victima", "Vicky Secreta", "victima.", "Andinavictima", "Nota andina secreta",
                 "importacion-andina", "Comentario andino", "Tarea andina", "Cuenta Andina",
                 "Plantilla Andina", "Canal Andino", "EtiquetaAndina", "Campo Andino", "Opcion Andina",
                 "Pedido Andino", "Venta andina", "archivo-andino", "0991234567", "99 123 4567",
                 "Lead Andino"),
        admin_markers=("victima.colega@andina.example", "Colega Oculto", "victima.admin@andina.example",
                       "hooks.andina.example", "whsec_andino", "Clave Andina", "clk_andina",
                       "Formulario Andino", "tienda.andina.example", "wf_andino", "verif_andino",
                       "secreto_andino", "token_andino", "la_andino", "Campaña Andina", "Segmento Andino",
                       "Asunto andino"),
    )


Args = Callable[[Victim], tuple]


@dataclass(frozen=True)
class Entry:
    access: str
    args: Args = lambda v: ()
    reason: str = ""  # why a PUBLIC or UI handler needs no session


def _public(reason: str, args: Args = lambda v: ()) -> Entry:
    return Entry(PUBLIC, args, reason)


def _ui(reason: str, args: Args = lambda v: ()) -> Entry:
    return Entry(UI, args, reason)


def _in(args: Args = lambda v: ()) -> Entry:
    return Entry(SIGNED_IN, args)


def _admin(args: Args = lambda v: ()) -> Entry:
    return Entry(ADMIN, args)


DIALOG = "opens or closes a dialog / flips a flag of the tab"
DRAFT = "edits a draft the tab holds; the save that follows is checked"
ASK = "remembers which row to confirm; the confirm handler re-checks it"
TABS = "switches the profile's tab or composer on a phone; holds no data"
PAGING = "moves the list's cursor and returns the guarded load"


def _customer_form(v: Victim) -> tuple:
    return ({"first_name": "Forjado", "last_name": "X", "channel_id": str(v.channel_id),
             f"custom.{v.field_id}": str(v.option_id)},)


MATRIX: dict[str, Entry] = {
    # -- session and signed-out pages -----------------------------------------------------------------
    "SessionState.guard": _public("the shell's on_load: refuses or sends to sign-in by itself"),
    "ShellState.set_drawer_open": _ui(DIALOG, lambda v: (True,)),
    "SessionState.set_language": _public("a signed-out visitor picks the language", lambda v: ("en",)),
    "SessionState.sign_out": _public("ends whatever session the tab has, or none"),
    "SessionState.end_session": _public("does nothing while the session is valid; else forgets the tab"),
    "SessionState.session_not_opened": _public("the cookie exchange's callback: at most a toast",
                                               lambda v: (False,)),
    "LoginState.load": _public("the sign-in page"),
    "LoginState.submit": _public("signs in", lambda v: ({"email": "nadie@andina.example",
                                                        "password": "wrong password 123"},)),
    "RegisterState.load": _public("the invitation page reads its token from the URL"),
    "RegisterState.submit": _public("an invited customer registers with his token",
                                    lambda v: ({"first_name": "X", "last_name": "Y",
                                                "org_id": str(v.org_id)},)),
    "SetupState.load": _public("first run: creates the first organization, refused once any user exists"),
    "SetupState.pick_country": _public("first-run form draft", lambda v: ("PE",)),
    "SetupState.set_currency": _public("first-run form draft", lambda v: ("PEN",)),
    "SetupState.set_timezone": _public("first-run form draft", lambda v: ("America/Lima",)),
    "SetupState.submit": _public("first run, refused once any user exists", lambda v: (
        {"org_name": "Intrusa", "admin_name": "I", "admin_email": "intrusa@example.test",
         "admin_password": "Correct horse battery staple 9",
         "admin_password_repeat": "Correct horse battery staple 9"},)),
    "auth.AccountState.change_password": _in(lambda v: ({"current": "x", "password": "y", "repeat": "y"},)),
    "auth.AccountState.load": _in(),
    # -- customers ------------------------------------------------------------------------------------
    "CustomersState.load": _in(),
    "CustomersState.add_tag_filter": _ui(PAGING, lambda v: ("etiquetaandin",)),
    "CustomersState.remove_tag_filter": _ui(PAGING, lambda v: ("etiquetaandin",)),
    "CustomersState.ask_delete": _ui(ASK, lambda v: (v.customer_id, "x")),
    "CustomersState.cancel_delete": _ui(ASK),
    "CustomersState.confirm_delete": _in(),
    "CustomersState.clear_filters": _ui(PAGING),
    "CustomersState.clear_more_filters": _ui(PAGING),
    "CustomersState.remove_more_filter": _ui(PAGING, lambda v: ("supplier",)),
    "CustomersState.first_page": _ui(PAGING),
    "CustomersState.next_page": _ui(PAGING),
    "CustomersState.refresh_tag_options": _in(),
    "CustomersState.restore": _in(lambda v: (v.customer_id,)),
    "CustomersState.set_filter": _ui(PAGING, lambda v: ("channel", str(v.channel_id))),
    "CustomersState.set_min_spent": _ui(PAGING, lambda v: ({"min_spent": "150,50"},)),
    "CustomersState.set_search": _ui(PAGING, lambda v: ("andin",)),
    "CustomersState.set_choice_filter": _ui(PAGING, lambda v: (str(v.field_id), str(v.option_id))),
    "CustomersState.show_trash": _ui(PAGING, lambda v: (True,)),
    "CustomerState.load": _in(),
    "CustomerState.delete": _in(),
    "CustomerState.restore": _in(),
    "CustomerState.set_confirm_delete": _ui(DIALOG, lambda v: (True,)),
    "CustomerAccountsState.load": _in(),
    "CustomerDocumentsState.load": _in(),
    "CustomerFormState.open_create": _in(lambda v: (False,)),
    "CustomerFormState.open_edit": _in(lambda v: (v.customer_id,)),
    "CustomerFormState.pick_type": _in(lambda v: ("company",)),
    "CustomerFormState.type_tag": _in(lambda v: ("Etiqueta",)),
    "CustomerFormState.submit": _in(_customer_form),
    "CustomerFormState.add_email_row": _ui(DRAFT),
    "CustomerFormState.add_phone_row": _ui(DRAFT),
    "CustomerFormState.add_tag_draft": _ui(DRAFT),
    "CustomerFormState.remove_email_row": _ui(DRAFT, lambda v: ("0",)),
    "CustomerFormState.remove_phone_row": _ui(DRAFT, lambda v: ("0",)),
    "CustomerFormState.remove_tag": _ui(DRAFT, lambda v: ("etiquetaandin",)),
    "CustomerFormState.set_open": _ui(DIALOG, lambda v: (True,)),
    # -- the customer's feed, files and messages ------------------------------------------------------
    "CustomerFeedState.load": _in(),
    "CustomerFeedState.load_more": _in(),
    "CustomerFeedState.refresh": _in(),
    "CustomerFeedState.set_category": _in(lambda v: ("comments",)),
    "CustomerFeedState.add_comment": _in(lambda v: ({"body": "forjado"},)),
    "CustomerFeedState.start_edit": _ui(ASK, lambda v: (v.comment_id,)),
    "CustomerFeedState.cancel_edit": _ui(ASK),
    "CustomerFeedState.save_edit": _in(lambda v: ({"body": "forjado"},)),
    "CustomerFeedState.ask_delete_comment": _ui(ASK, lambda v: (v.comment_id,)),
    "CustomerFeedState.cancel_delete_comment": _ui(ASK),
    "CustomerFeedState.delete_comment": _in(),
    "CustomerFeedState.create_task": _in(lambda v: ({"title": "forjada", "assignee_id": str(v.sales_id)},)),
    "CustomerFeedState.set_task_done": _in(lambda v: (v.task_id, True)),
    "CustomerFilesState.load": _in(),
    "CustomerFilesState.load_more": _in(),
    "CustomerFilesState.ask_delete": _in(lambda v: (v.file_id,)),
    "CustomerFilesState.cancel_delete": _ui(ASK),
    "CustomerFilesState.confirm_delete": _in(),
    "CustomerFilesState.rejected": _in(lambda v: ([{"name": "x.exe"}],)),
    "CustomerFilesState.upload": _in(lambda v: ([],)),
    "CustomerFilesState.upload_progress": _in(lambda v: ({"progress": 0.5},)),
    "CustomerImportsState.load": _in(),
    "CustomerImportsState.rejected": _in(lambda v: ([{"name": "x.exe"}],)),
    "CustomerImportsState.upload": _in(lambda v: ([],)),
    "CustomerImportsState.upload_progress": _in(lambda v: ({"progress": 0.5},)),
    "ImportState.load": _in(),
    "ImportState.set_column": _in(lambda v: (0, "first_name")),
    "ImportState.set_client_type": _in(lambda v: ("company",)),
    "ImportState.set_mode": _in(lambda v: ("both",)),
    "ImportState.set_match_by": _in(lambda v: ("email",)),
    "ImportState.set_valid_only": _in(lambda v: (True,)),
    "ImportState.set_default_channel": _in(lambda v: ("Canal forjado",)),
    "ImportState.set_default_tags": _in(lambda v: ("forjada",)),
    "ImportState.check": _in(),
    "ImportState.write": _in(),
    "ImportState.cancel": _in(),
    "ImportState.ask_revert": _in(),
    "ImportState.cancel_revert": _in(),
    "ImportState.revert": _in(),
    "ImportState.watch": _in(),  # background: resolves the actor itself each round
    "SendMessageState.load": _in(),
    "SendMessageState.open_dialog": _in(lambda v: (f"sms:{v.phone_id}",)),
    "SendMessageState.pick_template": _in(lambda v: (str(v.template_id),)),
    "SendMessageState.send": _in(),
    "SendMessageState.set_body": _in(lambda v: ("Hola {{ first_name }}",)),
    "SendMessageState.set_subject": _in(lambda v: ("Asunto",)),
    "SendMessageState.set_open": _ui(DIALOG, lambda v: (True,)),
    "SendMessageState.watch": _ui("background poll of the message the tab sent; reads it with the actor"),
    "SendMessageState.live_check": _in(),  # background: resolves the actor itself before it renders
    "ProfileTabsState.load": _ui(TABS),
    "ProfileTabsState.show": _ui(TABS, lambda v: ("files",)),
    "ProfileTabsState.set_composer": _ui(TABS, lambda v: ("task",)),
    "ProfileTabsState.compose": _ui(TABS, lambda v: ("comment",)),
    "MyTasksState.load": _in(),
    "MyTasksState.set_done": _in(lambda v: (v.task_id, True)),
    "MyTasksState.set_include_done": _in(lambda v: (True,)),
    # issue 15: panel UI (the home page's tiles and range)
    "PanelState.load": _in(),
    "PanelState.load_figures": _in(),
    "PanelState.apply_range": _in(lambda v: ({"from": "2026-11-01", "to": "2026-11-30", "by": "week"},)),
    # -- accounts -------------------------------------------------------------------------------------
    "AccountsState.load": _in(),
    "AccountsState.ask_delete": _ui(ASK, lambda v: (v.account_id, "x")),
    "AccountsState.cancel_delete": _ui(ASK),
    "AccountsState.confirm_delete": _in(),
    "AccountsState.first_page": _ui(PAGING),
    "AccountsState.next_page": _ui(PAGING),
    "AccountsState.set_search": _ui(PAGING, lambda v: ("andin",)),
    "AccountsState.set_sort": _ui(PAGING, lambda v: ("name",)),
    "AccountFormState.open_create": _in(),
    "AccountFormState.open_edit": _in(lambda v: (v.account_id,)),
    "AccountFormState.set_open": _ui(DIALOG, lambda v: (True,)),
    "AccountFormState.submit": _in(lambda v: ({"name": "Forjada", "owner_id": str(v.admin_id)},)),
    "account.AccountState.load": _in(),
    "account.AccountState.search_clients": _in(lambda v: ("Clienta",)),
    "account.AccountState.choose_client": _in(lambda v: (v.customer_id,)),
    "account.AccountState.confirm_client": _in(),
    "account.AccountState.cancel_client": _ui(DIALOG),
    "account.AccountState.clear_client": _ui(DRAFT),
    "account.AccountState.new_client": _in(),
    "account.AccountState.take_new_client": _in(lambda v: (v.customer_id,)),
    "account.AccountState.delete": _in(),
    "account.AccountState.more_activity": _in(),
    "account.AccountState.more_members": _in(),
    "account.AccountState.remove_member": _in(lambda v: (v.customer_id,)),
    "account.AccountState.set_add_role": _ui(DRAFT, lambda v: ("owner",)),
    "account.AccountState.set_confirm_delete": _ui(DIALOG, lambda v: (True,)),
    "account.AccountState.set_member_role": _in(lambda v: (v.customer_id, "owner")),
    "account.AccountState.show_section": _in(lambda v: ("members",)),
    # -- leads ----------------------------------------------------------------------------------------
    "LeadsState.load": _in(),
    "LeadsState.set_filter": _ui(PAGING, lambda v: ("type", str(v.channel_id))),
    "LeadsState.clear_filters": _ui(PAGING),
    "LeadsState.set_search": _ui(PAGING, lambda v: ("andin",)),
    "LeadsState.first_page": _ui(PAGING),
    "LeadsState.next_page": _ui(PAGING),
    "LeadsState.ask_delete": _ui(ASK, lambda v: (v.lead_id, "x")),
    "LeadsState.cancel_delete": _ui(ASK),
    "LeadFormState.load": _in(),
    "LeadFormState.submit": _in(lambda v: ({"name": "Forjado", "owner_id": str(v.sales_id),
                                            "channel_id": str(v.channel_id)},)),
    "LeadFormState.change_status": _in(lambda v: ("contacted",)),
    "LeadFormState.more_history": _in(),
    "LeadFormState.confirm_lost": _in(lambda v: ({"lost_reason": "forjado"},)),
    "LeadFormState.set_lost_open": _ui(DIALOG, lambda v: (True,)),
    "LeadFormState.set_confirm_delete": _ui(DIALOG, lambda v: (True,)),
    "LeadFormState.delete": _admin(),
    "LeadConversionState.open_for": _in(lambda v: (v.lead_id,)),
    "LeadConversionState.set_open": _ui(DIALOG, lambda v: (True,)),
    "LeadConversionState.pick_type": _in(lambda v: ("company",)),
    "LeadConversionState.submit": _in(lambda v: ({"first_name": "Forjado", "last_name": "X",
                                                  "channel_id": str(v.channel_id)},)),
    "LeadConversionState.link_existing": _in(),
    # -- invitations ----------------------------------------------------------------------------------
    "InvitationsState.load": _in(),
    "InvitationsState.load_more": _in(),
    "InvitationsState.reload_if_shown": _in(),
    "InvitationsState.set_status": _in(lambda v: ("pending",)),
    "InvitationsState.resend": _in(lambda v: (v.invitation_id,)),
    "InvitationsState.ask_delete": _ui(ASK, lambda v: (v.invitation_id, "x")),
    "InvitationsState.cancel_delete": _ui(ASK),
    "InvitationsState.confirm_revoke": _in(),
    "InviteState.open_dialog": _in(),
    "InviteState.pick_template": _in(lambda v: (str(v.template_id),)),
    "InviteState.send": _in(),
    "InviteState.insert_placeholder": _ui(DRAFT, lambda v: ("first_name",)),
    "InviteState.placeholder_at": _in(lambda v: ([0, 0],)),
    "InviteState.set_body": _in(lambda v: ("Hola",)),
    "InviteState.set_client_type": _ui(DRAFT, lambda v: ("company",)),
    "InviteState.set_email": _ui(DRAFT, lambda v: ("nuevo@example.test",)),
    "InviteState.set_open": _ui(DIALOG, lambda v: (True,)),
    "InviteState.set_subject": _in(lambda v: ("Asunto",)),
    "InviteState.live_check": _in(),  # background: resolves the actor itself before it renders
    # -- templates ------------------------------------------------------------------------------------
    "TemplatesState.load": _in(),
    "TemplatesState.live_check": _in(),  # background: resolves the actor itself before it renders
    "TemplatesState.filter_channel": _in(lambda v: ("sms",)),
    "TemplatesState.open_edit": _in(lambda v: (v.template_id,)),
    "TemplatesState.open_new": _in(lambda v: ("sms",)),
    "TemplatesState.duplicate": _admin(lambda v: (v.template_id,)),
    "TemplatesState.ask_delete": _ui(ASK, lambda v: (v.template_id, "x")),
    "TemplatesState.cancel_delete": _ui(ASK),
    "TemplatesState.confirm_delete": _admin(),
    "TemplatesState.save": _admin(),
    "TemplatesState.search_clients": _in(lambda v: ("Clienta",)),
    "TemplatesState.choose_client": _in(lambda v: (v.customer_id,)),
    "TemplatesState.confirm_client": _in(),
    "TemplatesState.cancel_client": _ui(DIALOG),
    "TemplatesState.clear_client": _ui(DRAFT),
    "TemplatesState.new_client": _in(),
    "TemplatesState.take_new_client": _in(lambda v: (v.customer_id,)),
    "TemplatesState.placeholder_at": _in(lambda v: ([0, 0],)),
    "TemplatesState.set_body": _in(lambda v: ("Hola {{ first_name }}",)),
    "TemplatesState.set_subject": _in(lambda v: ("Asunto",)),
    "TemplatesState.set_channel": _in(lambda v: ("email",)),
    "TemplatesState.set_name": _ui(DRAFT, lambda v: ("Plantilla",)),
    "TemplatesState.set_editor_open": _ui(DIALOG, lambda v: (True,)),
    "TemplatesState.focus_field": _ui(DRAFT, lambda v: ("subject",)),
    "TemplatesState.insert_placeholder": _ui(DRAFT, lambda v: ("first_name",)),
    # -- orders ---------------------------------------------------------------------------------------
    "OrdersState.load": _in(),
    "OrdersState.set_filter": _ui(PAGING, lambda v: ("type", str(v.order_type_id))),
    "OrdersState.clear_filters": _ui(PAGING),
    "OrdersState.set_search": _ui(PAGING, lambda v: ("andin",)),
    "OrdersState.first_page": _ui(PAGING),
    "OrdersState.next_page": _ui(PAGING),
    "OrdersState.ask_delete": _ui(ASK, lambda v: (v.order_id, "x")),
    "OrdersState.cancel_delete": _ui(ASK),
    "OrderFormState.load": _in(),
    "OrderFormState.set_type": _ui(DRAFT, lambda v: (str(v.order_type_id),)),
    "OrderFormState.submit": _in(lambda v: ({"due_date": "2030-01-01", "assignee_id": str(v.sales_id),
                                             "notes": "Forjado"},)),
    "OrderFormState.change_status": _in(lambda v: ("cancelled",)),
    "OrderFormState.set_confirm_delete": _ui(DIALOG, lambda v: (True,)),
    "OrderFormState.delete": _admin(),
    "OrderFormState.search_clients": _in(lambda v: ("Clienta",)),
    "OrderFormState.choose_client": _in(lambda v: (v.customer_id,)),
    "OrderFormState.confirm_client": _in(),
    "OrderFormState.cancel_client": _ui(DIALOG),
    "OrderFormState.clear_client": _ui(DRAFT),
    "OrderFormState.new_client": _in(),
    "OrderFormState.take_new_client": _in(lambda v: (v.customer_id,)),
    "OrderFormState.add_line": _ui(DRAFT),
    "OrderFormState.remove_line": _ui(DRAFT, lambda v: ("l0",)),
    "OrderFormState.set_line_field": _ui(DRAFT, lambda v: ("l0", "description", "Forjada")),
    "OrderFormState.set_discount_percent": _ui(DRAFT, lambda v: ("10",)),
    # -- sales ----------------------------------------------------------------------------------------
    "SalesState.load": _in(),
    "SalesState.set_filter": _ui(PAGING, lambda v: ("owner", str(v.sales_id))),
    "SalesState.clear_filters": _ui(PAGING),
    "SalesState.set_search": _ui(PAGING, lambda v: ("andin",)),
    "SalesState.first_page": _ui(PAGING),
    "SalesState.next_page": _ui(PAGING),
    "SalesState.ask_delete": _ui(ASK, lambda v: (v.sale_id, "x")),
    "SalesState.cancel_delete": _ui(ASK),
    "SaleFormState.load": _in(),
    "SaleFormState.set_method": _in(lambda v: ("credit",)),
    "SaleFormState.submit": _in(lambda v: ({"notes": "Forjada"},)),
    "SaleFormState.confirm_credit": _in(),
    "SaleFormState.cancel_credit": _ui(DIALOG),
    "SaleFormState.mark_paid": _in(),
    "SaleFormState.set_confirm_cancel": _ui(DIALOG, lambda v: (True,)),
    "SaleFormState.cancel_sale": _admin(),
    "SaleFormState.set_confirm_delete": _ui(DIALOG, lambda v: (True,)),
    "SaleFormState.delete": _admin(),
    "SaleFormState.search_clients": _in(lambda v: ("Clienta",)),
    "SaleFormState.choose_client": _in(lambda v: (v.customer_id,)),
    "SaleFormState.confirm_client": _in(),
    "SaleFormState.cancel_client": _ui(DIALOG),
    "SaleFormState.clear_client": _ui(DRAFT),
    "SaleFormState.new_client": _in(),
    "SaleFormState.take_new_client": _in(lambda v: (v.customer_id,)),
    "SaleFormState.add_line": _ui(DRAFT),
    "SaleFormState.remove_line": _ui(DRAFT, lambda v: ("l0",)),
    "SaleFormState.set_line_field": _ui(DRAFT, lambda v: ("l0", "description", "Forjada")),
    "SaleFormState.set_discount_percent": _ui(DRAFT, lambda v: ("10",)),
    # -- admin: users, settings, form editor ----------------------------------------------------------
    "UsersState.load": _admin(),
    "UsersState.next_page": _admin(),
    "UsersState.previous_page": _admin(),
    "UsersState.set_search": _admin(lambda v: ("victima",)),
    "UsersState.create_user": _admin(lambda v: ({"name": "Nuevo", "email": "colega.nuevo@andina.example",
                                                 "role": "admin"},)),
    "UsersState.ask": _admin(lambda v: ("disable", v.sales_id, "x")),
    "UsersState.confirm": _admin(),
    "UsersState.change_role": _admin(lambda v: (v.sales_id, "admin")),
    "UsersState.enable": _admin(lambda v: (v.sales_id,)),
    "UsersState.cancel_confirm": _ui(ASK),
    "UsersState.close_secret": _ui(DIALOG),
    "UsersState.set_create_open": _ui(DIALOG, lambda v: (True,)),
    "SettingsState.load": _admin(),
    # The API keys section of /settings/api (states/api_keys.py).
    "ApiKeysState.load": _admin(),
    "ApiKeysState.more": _admin(),
    "ApiKeysState.set_create_open": _admin(lambda v: (True,)),
    "ApiKeysState.create": _admin(lambda v: ({"name": "Forjada", "scope_customers_read": "on"},)),
    "ApiKeysState.close_new_key": _ui(DIALOG),
    "ApiKeysState.ask_revoke": _admin(lambda v: (v.api_key_id,)),
    "ApiKeysState.cancel_revoke": _ui(ASK),
    "ApiKeysState.confirm_revoke": _admin(),
    # The website forms and Facebook Lead Ads sections of /settings/api (states/connector_settings.py,
    # states/lead_ads_settings.py).
    "ConnectorSettingsState.load": _admin(),
    "ConnectorSettingsState.open_new": _admin(),
    "ConnectorSettingsState.open_edit": _admin(lambda v: (v.web_form_id,)),
    "ConnectorSettingsState.set_edit_open": _admin(lambda v: (True,)),
    "ConnectorSettingsState.save": _admin(lambda v: ({"name": "Forjado", "target": "lead",
                                                      "allowed_origins": "https://forjado.example"},)),
    "ConnectorSettingsState.show_snippet": _admin(lambda v: (v.web_form_id,)),
    "ConnectorSettingsState.close_snippet": _ui(DIALOG),
    "ConnectorSettingsState.set_enabled": _admin(lambda v: (v.web_form_id, False)),
    "ConnectorSettingsState.ask_delete": _admin(lambda v: (v.web_form_id,)),
    "ConnectorSettingsState.cancel_delete": _ui(ASK),
    "ConnectorSettingsState.confirm_delete": _admin(),
    "LeadAdsSettingsState.load": _admin(),
    "LeadAdsSettingsState.set_cell": _admin(lambda v: (0, 0, "forjado")),
    "LeadAdsSettingsState.add_row": _admin(),
    "LeadAdsSettingsState.remove_row": _admin(lambda v: (0,)),
    "LeadAdsSettingsState.set_enabled": _admin(lambda v: (False,)),
    "LeadAdsSettingsState.set_channel_id": _admin(lambda v: (str(v.channel_id),)),
    "LeadAdsSettingsState.set_owner_id": _admin(lambda v: (str(v.admin_id),)),
    "LeadAdsSettingsState.save": _admin(lambda v: ({"verify_token": "forjado", "app_secret": "forjado",
                                                    "page_token": "forjado", "enabled": "on"},)),
    # The webhooks section of /settings/api (states/webhook_settings.py).
    "WebhookSettingsState.load": _admin(),
    "WebhookSettingsState.set_create_open": _admin(lambda v: (True,)),
    "WebhookSettingsState.create": _admin(lambda v: ({"url": "https://93.184.216.34/forjado",
                                                      "event_customer_created": "on"},)),
    "WebhookSettingsState.close_secret": _ui(DIALOG),
    "WebhookSettingsState.ask_delete": _admin(lambda v: (v.webhook_id,)),
    "WebhookSettingsState.cancel_delete": _ui(ASK),
    "WebhookSettingsState.confirm_delete": _admin(),
    "WebhookSettingsState.enable": _admin(lambda v: (v.webhook_id,)),
    "WebhookSettingsState.ask_rotate": _admin(lambda v: (v.webhook_id,)),
    "WebhookSettingsState.cancel_rotate": _ui(ASK),
    "WebhookSettingsState.confirm_rotate": _admin(),
    "WebhookSettingsState.send_test": _admin(lambda v: (v.webhook_id,)),
    "WebhookSettingsState.open_log": _admin(lambda v: (v.webhook_id,)),
    "WebhookSettingsState.more_log": _admin(),
    "WebhookSettingsState.refresh_log": _admin(),
    "WebhookSettingsState.close_log": _ui(DIALOG),
    "SettingsState.save_organization": _admin(lambda v: ({"name": "Forjada", "country": "PE",
                                                          "currency": "PEN", "language": "es",
                                                          "timezone": "America/Lima"},)),
    "SettingsState.toggle_duplicate": _admin(lambda v: ("email",)),
    "SettingsState.allow_sales_transfer": _admin(lambda v: (True,)),
    "SettingsState.add_entry": _admin(lambda v: ("order_types", {"name": "Forjado"})),
    "SettingsState.rename_entry": _admin(lambda v: ("order_types", v.order_type_id, "Forjado")),
    "SettingsState.recolor_entry": _admin(lambda v: ("order_types", v.order_type_id, "#000000")),
    "SettingsState.set_walk_in": _admin(lambda v: (v.order_type_id, True)),
    "SettingsState.move_entry": _admin(lambda v: ("channels", v.channel_id, 1)),
    "SettingsState.set_entry_active": _admin(lambda v: ("channels", v.channel_id, False)),
    "SettingsState.search_tags": _admin(lambda v: ("andin",)),
    "SettingsState.next_tags": _admin(),
    "SettingsState.previous_tags": _admin(),
    "SettingsState.next_log": _admin(),
    "SettingsState.previous_log": _admin(),
    "SettingsState.rename_tag": _admin(lambda v: (v.tag_id, "Forjada")),
    "SettingsState.ask_delete_tag": _admin(lambda v: (v.tag_id,)),
    "SettingsState.cancel_delete_tag": _ui(ASK),
    "SettingsState.confirm_delete_tag": _admin(),
    "SettingsState.toggle_tag": _ui(ASK, lambda v: (v.tag_id,)),
    "SettingsState.set_merge_name": _ui(DRAFT, lambda v: ("Forjada",)),
    "SettingsState.merge_selected": _admin(),
    "FormEditorState.load": _admin(),
    "FormEditorState.pick_type": _admin(lambda v: ("person",)),
    "FormEditorState.toggle": _admin(lambda v: ("birthday", "visible")),
    "FormEditorState.move": _admin(lambda v: ("birthday", 1)),
    "FormEditorState.set_label": _admin(lambda v: ("birthday", "es", "Forjada")),
    "FormEditorState.move_field": _admin(lambda v: (v.field_id, 1)),
    "FormEditorState.set_field_active": _admin(lambda v: (v.field_id, False)),
    "FormEditorState.open_edit_field": _admin(lambda v: (v.field_id,)),
    "FormEditorState.open_new_field": _admin(),
    "FormEditorState.save_field": _admin(lambda v: ({"label_es": "Forjado", "kind": "text"},)),
    "FormEditorState.ask_purge": _admin(lambda v: (v.field_id,)),
    "FormEditorState.confirm_purge": _admin(),
    "FormEditorState.cancel_purge": _ui(ASK),
    "FormEditorState.add_option": _ui(DRAFT),
    "FormEditorState.remove_option": _ui(DRAFT, lambda v: ("0",)),
    "FormEditorState.move_option": _ui(DRAFT, lambda v: ("0", 1)),
    "FormEditorState.set_field_kind": _ui(DRAFT, lambda v: ("choice",)),
    "FormEditorState.set_field_open": _ui(DIALOG, lambda v: (True,)),
    "FormEditorState.set_field_required": _ui(DRAFT, lambda v: (True,)),
    # issue 15: campaigns UI (pace setting, campaign list, form and report, segment actions)
    "SettingsState.save_campaign_pace": _admin(lambda v: ({"campaign_per_minute": "600"},)),
    "CampaignsState.load": _admin(),
    "CampaignsState.set_search": _ui(PAGING, lambda v: ("andin",)),
    "CampaignsState.first_page": _ui(PAGING),
    "CampaignsState.next_page": _ui(PAGING),
    "CampaignsState.ask_delete": _ui(ASK, lambda v: (v.campaign_id, "x")),
    "CampaignsState.cancel_delete": _ui(ASK),
    "CampaignState.load": _admin(),
    "CampaignState.count_audience": _admin(),  # background: resolves the actor itself before it counts
    "CampaignState.set_segment": _admin(lambda v: (str(v.segment_id),)),
    "CampaignState.set_name": _ui(DRAFT, lambda v: ("Forjada",)),
    "CampaignState.set_template": _ui(DRAFT, lambda v: (str(v.template_id),)),
    "CampaignState.set_send_mode": _ui(DRAFT, lambda v: ("later",)),
    "CampaignState.set_schedule_day": _ui(DRAFT, lambda v: ("2030-01-01",)),
    "CampaignState.set_schedule_time": _ui(DRAFT, lambda v: ("09:00",)),
    "CampaignState.save": _admin(),
    "CampaignState.send_test": _admin(),
    "CampaignState.ask_start": _admin(),
    "CampaignState.cancel_start": _ui(DIALOG),
    "CampaignState.start": _admin(),
    "CampaignState.set_confirm_delete": _ui(DIALOG, lambda v: (True,)),
    "CampaignState.delete": _admin(),
    "CampaignReportState.load": _admin(),
    "CampaignReportState.filter_recipients": _admin(lambda v: ("sent",)),
    "CampaignReportState.next_recipients": _admin(),
    "CampaignReportState.previous_recipients": _admin(),
    "CampaignReportState.pause": _admin(),
    "CampaignReportState.resume": _admin(),
    "CampaignReportState.set_confirm_cancel": _ui(DIALOG, lambda v: (True,)),
    "CampaignReportState.cancel": _admin(),
    "CampaignReportState.watch": _admin(),  # background: resolves the actor itself each round
    "SegmentActionsState.open_save": _admin(),
    "SegmentActionsState.set_save_open": _ui(DIALOG, lambda v: (True,)),
    "SegmentActionsState.save": _admin(lambda v: ({"name": "Forjado"},)),
    # issue 16: bulk UI (the list's selection and action bar, the history page)
    "CustomersState.toggle_row": _ui("ticks a row the tab shows", lambda v: (v.customer_id, True)),
    "CustomersState.toggle_page": _ui("ticks the rows the tab shows", lambda v: (True,)),
    "CustomersState.select_all_matching": _ui("marks the list's own filters as the selection"),
    "CustomersState.clear_selection": _ui("forgets the ticks"),
    "CustomersState.set_select_mode": _ui(DIALOG, lambda v: (True,)),
    "CustomersState.long_press": _ui("checkbox mode, a row the tab shows ticked", lambda v: (v.customer_id,)),
    "CustomersState.count_matching": _in(),  # background: resolves the actor itself before it counts
    "BulkActionState.load": _in(),
    "BulkActionState.open_action": _in(lambda v: ("tag_add",)),
    "BulkActionState.set_dialog_open": _ui(DIALOG, lambda v: (True,)),
    "BulkActionState.search_accounts": _in(lambda v: ("Cuenta",)),
    "BulkActionState.choose_account": _in(lambda v: (v.account_id,)),
    "BulkActionState.clear_account": _ui(DRAFT),
    "BulkActionState.confirm": _in(lambda v: ({"tag": "Forjada"},)),
    "BulkActionState.undo": _in(),  # the preset holds the victim's action
    "BulkActionState.cancel_job": _in(),
    "BulkActionState.dismiss_result": _ui("hides the tab's own result banner"),
    "BulkActionState.watch": _in(),  # background: resolves the actor itself each round
    "BulkHistoryState.load": _in(),
    "BulkHistoryState.more": _in(),
    "BulkHistoryState.undo": _in(lambda v: (v.bulk_action_id,)),
    # issue 16: review UI (duplicates page, merge preview and merge, merge history)
    "DuplicatesState.load": _admin(),
    "DuplicatesState.set_reason": _admin(lambda v: ("phone",)),
    "DuplicatesState.next_page": _admin(),
    "DuplicatesState.first_page": _admin(),
    "DuplicatesState.start_scan": _admin(lambda v: ("full",)),
    "DuplicatesState.cancel_scan": _admin(),
    "DuplicatesState.dismiss": _admin(lambda v: (v.customer_id, v.customer_id + 1)),
    "DuplicatesState.watch": _admin(),  # background: resolves the actor itself each round
    "MergeState.load": _admin(),
    "MergeState.reload": _admin(),
    "MergeState.set_survivor": _admin(lambda v: (v.customer_id + 1,)),
    "MergeState.choose": _admin(lambda v: ("first_name", v.customer_id)),
    "MergeState.ask_merge": _admin(),
    "MergeState.cancel_merge": _ui(DIALOG),
    "MergeState.merge": _admin(),
    "MergeHistoryState.load": _admin(),
    "MergeHistoryState.next_page": _admin(),
    "MergeHistoryState.first_page": _admin(),
    "MergeHistoryState.undo": _admin(lambda v: (v.customer_id,)),
    # issue 16: profile merge (the survivor's banner with Undo)
    "ProfileMergeState.load": _in(),  # a sales user gets no banner (checked inside)
    "ProfileMergeState.ask_undo": _admin(),
    "ProfileMergeState.cancel_undo": _ui(DIALOG),
    "ProfileMergeState.undo": _admin(),  # the preset holds a merge id
}

# The page each state serves, with the victim's ids in the URL (what a load reads from the path).
PAGES: dict[str, Callable[[Victim], tuple[str, str]]] = {
    "customer": lambda v: ("/customers/[customer_id]", f"/customers/{v.customer_id}"),
    "account": lambda v: ("/accounts/[account_id]", f"/accounts/{v.account_id}"),
    "register": lambda v: ("/register/[token]", "/register/forged-token"),
    "import": lambda v: ("/customers/import/[import_id]", f"/customers/import/{v.import_id}"),
    "lead": lambda v: ("/leads/[lead_id]", f"/leads/{v.lead_id}"),
    "order": lambda v: ("/orders/[order_id]", f"/orders/{v.order_id}"),
    "sale": lambda v: ("/sales/[sale_id]", f"/sales/{v.sale_id}"),
    "campaign": lambda v: ("/campaigns/[campaign_id]", f"/campaigns/{v.campaign_id}"),
    "sent_campaign": lambda v: ("/campaigns/[campaign_id]", f"/campaigns/{v.sent_campaign_id}"),
}
PAGE_OF_STATE = {
    "CustomerState": "customer", "CustomerFeedState": "customer", "CustomerFilesState": "customer",
    "CustomerAccountsState": "customer", "SendMessageState": "customer", "CustomerFormState": "customer",
    "CustomerDocumentsState": "customer",
    "ProfileMergeState": "customer",  # issue 16: profile merge
    "account.AccountState": "account", "RegisterState": "register", "ImportState": "import",
    "LeadFormState": "lead", "LeadConversionState": "lead",
    "OrderFormState": "order", "SaleFormState": "sale",
    "CampaignState": "campaign", "CampaignReportState": "sent_campaign",
}

# What a tab left by an org A user would hold: its ids in the state (backend and confirm ids).
PRESETS: dict[str, Callable[[Victim], dict[str, object]]] = {
    "CustomerFeedState": lambda v: {"_customer_id": v.customer_id, "editing_id": v.comment_id,
                                    "confirm_comment_id": v.comment_id},
    "CustomerFilesState": lambda v: {"_customer_id": v.customer_id, "delete_id": v.file_id},
    "CustomerFormState": lambda v: {"_customer_id": v.customer_id},
    "LeadFormState": lambda v: {"_lead_id": v.lead_id, "_version": 1, "mode": "edit", "lost_open": True},
    "LeadConversionState": lambda v: {"_lead_id": v.lead_id, "_version": 1, "open": True,
                                      "_duplicate_id": v.customer_id},
    "CustomerState": lambda v: {"customer_id": v.customer_id},
    "SendMessageState": lambda v: {"_target_id": v.phone_id, "customer_id": v.customer_id, "channel": "sms",
                                   "body": "Hola"},
    "AccountFormState": lambda v: {"_account_id": v.account_id},
    "account.AccountState": lambda v: {"account_id": v.account_id, "client_pending_id": v.customer_id},
    "AccountsState": lambda v: {"confirm_id": v.account_id},
    "InvitationsState": lambda v: {"confirm_id": v.invitation_id},
    "TemplatesState": lambda v: {"editing_id": v.template_id, "confirm_id": v.template_id, "name": "Forjada",
                                 "body": "Hola", "channel": "sms", "preview_customer_id": v.customer_id,
                                 "client_pending_id": v.customer_id},
    "UsersState": lambda v: {"_confirm_user_id": v.sales_id, "confirm_kind": "disable"},
    "SettingsState": lambda v: {"_delete_tag": v.tag_id, "selected_tags": [v.tag_id, v.tag2_id],
                                "merge_name": "Forjada"},
    "FormEditorState": lambda v: {"field_id": v.field_id, "purge_id": v.field_id},
    "WebhookSettingsState": lambda v: {"delete_id": v.webhook_id, "rotate_id": v.webhook_id,
                                       "log_id": v.webhook_id, "log_before": 10**9},
    "ImportState": lambda v: {"import_id": v.import_id},
    # issue 16: bulk UI
    "CustomersState": lambda v: {"confirm_id": v.customer_id, "selected_ids": [v.customer_id]},
    "BulkActionState": lambda v: {"result_id": v.bulk_action_id, "result_status": "running",
                                  "account_id": v.account_id, "dialog_kind": "add_to_account"},
    "BulkHistoryState": lambda v: {"has_more": True, "rows": [HistoryRow(
        id=v.bulk_action_id, description="", actor_name="", when="", counts="", status="done",
        status_label="", outcome="", can_undo=True, undo_until="")]},
    # issue 16: review UI
    "DuplicatesState": lambda v: {"_job_id": 10**6, "cursor": "9999"},  # a forged job id
    "MergeState": lambda v: {"_ids": [v.customer_id, v.customer_id + 1], "_versions": {v.customer_id: 1},
                             "survivor_id": v.customer_id, "confirm_merge": True},
    "MergeHistoryState": lambda v: {"cursor": str(10**6)},
    # issue 16: profile merge
    "ProfileMergeState": lambda v: {"_merge_id": v.customer_id, "confirm_undo": True},
    "CampaignState": lambda v: {"campaign_id": v.campaign_id, "confirm_start": True, "confirm_delete": True,
                                "name": "Forjada", "segment_id": str(v.segment_id),
                                "_segment_queries": {str(v.segment_id): "tags=EtiquetaAndina"}},
    "CampaignReportState": lambda v: {"campaign_id": v.sent_campaign_id, "confirm_cancel": True,
                                      "status": "sending", "can_cancel": True},
    "SaleFormState": lambda v: {"_sale_id": v.sale_id, "_version": 1, "mode": "view", "method": "credit",
                                "_client_id": v.customer_id, "client_pending_id": v.customer_id,
                                "_pending": SaleInput(customer_id=v.customer_id, payment_method="credit",
                                                      lines=(LineInput("Forjada", "1", "10"),))},
    "OrderFormState": lambda v: {"_order_id": v.order_id, "_version": 1, "mode": "edit",
                                 "type_id": str(v.order_type_id), "_client_id": v.customer_id,
                                 "client_pending_id": v.customer_id},
}
