"""Feed rows as the reader sees them: every kind, translated labels, values and times."""

from datetime import UTC, datetime, timedelta

from crm_app.domain.custom_values import display_value
from crm_app.domain.form_config import CustomFieldDef
from crm_app.domain.local_time import file_size
from crm_app.services.feed import KINDS, FeedEntry
from crm_app.states.feed_items import DESCRIBERS, ChangeLine, Reader, feed_item

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def reader(lang="es", user_id=1, is_admin=False) -> Reader:
    return Reader(lang=lang, tz="America/Guayaquil", currency="USD", now=NOW, user_id=user_id,
                  is_admin=is_admin)


def entry(kind, data=None, ref=None, ref_id=None, actor_name="Ana", minutes_ago=5) -> FeedEntry:
    return FeedEntry(id=7, kind=kind, category=KINDS[kind].category if kind in KINDS else "changes",
                     created_at=NOW - timedelta(minutes=minutes_ago), actor_id=1, actor_name=actor_name,
                     data=data or {}, ref=ref, ref_id=ref_id)


def test_every_declared_kind_has_a_describer():
    assert set(KINDS) <= set(DESCRIBERS)


def test_author_relative_time_and_exact_local_time():
    item = feed_item(entry("customer_deleted"), reader())
    assert (item.author, item.summary, item.when, item.when_exact) == (
        "Ana", "envió el cliente a la papelera", "hace 5 minutos", "23 nov 2026, 9:55")
    assert feed_item(entry("customer_restored", actor_name=""), reader("en")).author == "System"


def test_changes_field_by_field_translated_with_money_and_flags():
    changes = [
        {"field": "discount_percent", "before": "5", "after": "10", "highlight": True},
        {"field": "credit_limit", "before": "", "after": "250.50", "highlight": True},
        {"field": "is_conflictive", "before": "false", "after": "true"},
        {"field": "client_type", "before": "person", "after": "company"},
        {"field": "birthday", "before": "", "after": "1990-05-03"},
        {"field": "phone", "op": "added", "value": "+593987654321"},
        {"field": "email", "op": "consent_withdrawn", "value": "ana@example.com"},
        {"field": "tags", "op": "removed", "value": "VIP"},
    ]
    item = feed_item(entry("customer_updated", {"changes": changes}), reader())
    assert item.summary == "modificó el cliente"
    assert item.changes == [
        ChangeLine("Descuento personal (%)", "5", "10", highlight=True),
        ChangeLine("Límite de crédito", "—", "250,50\xa0US$", highlight=True),
        ChangeLine("Cliente conflictivo", "No", "Sí"),
        ChangeLine("Tipo de cliente", "Persona natural", "Empresa (jurídico)"),
        ChangeLine("Fecha de nacimiento", "—", "3 may 1990"),
        ChangeLine("Teléfono", text="agregado: +593987654321"),
        ChangeLine("Correo electrónico", text="ya no acepta correos: ana@example.com"),
        ChangeLine("Etiquetas", text="quitado: VIP"),
    ]


def test_creation_shows_its_source():
    item = feed_item(entry("customer_created", {"source": "import", "changes": []}), reader("en"))
    assert item.summary == "created the customer (source: Import)"


def test_comments_editable_by_their_author_or_an_admin():
    ref = {"body": "Llamar el lunes", "author_id": 2, "edited_at": NOW}
    item = feed_item(entry("comment", ref=ref, ref_id=12), reader(user_id=2))
    assert (item.body, item.edited, item.can_edit, item.ref_id) == ("Llamar el lunes", True, True, 12)
    assert not feed_item(entry("comment", ref=ref, ref_id=12), reader(user_id=3)).can_edit
    assert feed_item(entry("comment", ref=ref, ref_id=12), reader(user_id=3, is_admin=True)).can_edit


def test_tasks_due_overdue_and_done():
    ref = {"title": "Enviar cotización", "due_at": NOW - timedelta(hours=2), "done_at": None,
           "assignee_name": "Sofía"}
    item = feed_item(entry("task", ref=ref, ref_id=4), reader())
    assert (item.task_title, item.task_due, item.task_overdue, item.task_assignee) == (
        "Enviar cotización", "hace 2 horas", True, "Sofía")
    done = feed_item(entry("task", ref={**ref, "done_at": NOW}, ref_id=4), reader())
    assert done.task_done and not done.task_overdue
    later = feed_item(entry("task", ref={**ref, "due_at": NOW + timedelta(days=1)}, ref_id=4), reader())
    assert not later.task_overdue and later.task_due_exact == "24 nov 2026, 10:00"


def test_files_link_to_the_authorized_routes():
    ref = {"name": "foto.png", "content_type": "image/png", "size": 1_536_000, "is_image": True,
           "has_thumbnail": True}
    item = feed_item(entry("file", ref=ref, ref_id=9), reader())
    assert (item.file_name, item.file_size, item.file_url, item.thumb_url) == (
        "foto.png", "1,5 MB", "/api/files/9", "/api/files/9/thumbnail")
    assert feed_item(entry("file", ref={**ref, "has_thumbnail": False}, ref_id=9), reader()).thumb_url == ""


def test_an_unknown_kind_is_still_shown():
    assert feed_item(entry("merged"), reader()).summary == "merged"


def test_file_sizes_in_the_readers_numbers():
    sizes = (0, 1023, 2048, 3500, 20 * 1024 * 1024, 5 * 1024**3)
    assert [file_size(n, "en") for n in sizes] == ["0 B", "1,023 B", "2 KB", "3.4 KB", "20 MB", "5 GB"]
    assert [file_size(n, "es") for n in (1536 * 1024, 3500)] == ["1,5 MB", "3,4 KB"]


def test_messages_show_channel_recipient_and_current_status():
    ref = {"channel": "sms", "recipient": "+593991234567", "subject": "", "body": "Hola Ana",
           "status": "failed", "error": "server busy"}
    item = feed_item(entry("message", {"channel": "sms"}, ref=ref, ref_id=3), reader())
    assert item.summary == "envió un SMS a +593991234567 · falló: server busy" and item.body == "Hola Ana"
    email = {"channel": "email", "recipient": "ana@example.com", "subject": "Oferta", "body": "<p>x</p>",
             "status": "sent"}
    item = feed_item(entry("message", ref=email, ref_id=4), reader("en"))
    assert item.summary == "sent an e-mail to ana@example.com · sent" and item.body == "Oferta"


def test_invitation_and_membership_events_in_the_customers_feed():
    item = feed_item(entry("invitation", {"email": "luis@example.com", "invited_by": "Ana"}, actor_name=""),
                     reader())
    assert item.summary == "se registró con la invitación enviada a luis@example.com por Ana"
    changed = {"account_name": "Acme S.A.", "customer_name": "Luis", "before": "member", "after": "billing"}
    assert feed_item(entry("member_role_changed", changed), reader("en")).summary == (
        "changed their role in the account Acme S.A.: Member → Billing")


def test_custom_field_changes_in_the_readers_language():
    change = {"field": "custom", "label": {"es": "Sucursal", "en": "Branch"},
              "before": {"es": "", "en": ""}, "after": {"es": "Norte", "en": "North"}}
    item = feed_item(entry("customer_updated", {"changes": [change]}), reader("en"))
    assert item.changes == [ChangeLine("Branch", "—", "North")]


def test_a_message_only_logged_says_it_was_not_sent_and_why():
    sms = {"channel": "sms", "recipient": "+593991234567", "subject": "", "body": "Hola",
           "status": "logged_only", "error": ""}
    item = feed_item(entry("message", ref=sms, ref_id=5), reader())
    assert item.summary == "escribió un SMS para +593991234567 · solo registrado (no enviado)"
    assert item.note == "No hay API de SMS configurada: el cliente no recibió nada."
    email = {**sms, "channel": "email", "recipient": "ana@example.com", "subject": "Oferta"}
    item = feed_item(entry("message", ref=email, ref_id=6), reader("en"))
    assert item.summary == "wrote an e-mail to ana@example.com · logged only (not sent)"
    assert item.note == "No e-mail server is configured: the customer did not receive anything."
    assert feed_item(entry("message", ref={**email, "status": "sent"}, ref_id=6), reader("en")).note == ""


def test_dates_of_custom_fields_read_like_every_other_date():
    # Recorded as ISO text before custom dates were stored formatted, and as stored since.
    old = {"field": "custom", "label": {"es": "Visita", "en": "Visit"},
           "before": {"es": "", "en": ""}, "after": {"es": "2026-12-02", "en": "2026-12-02"}}
    assert feed_item(entry("customer_updated", {"changes": [old]}), reader()).changes == [
        ChangeLine("Visita", "—", "2 dic 2026")]
    visit = CustomFieldDef(id=1, kind="date", label_es="Visita")
    assert display_value(visit, [(None, "2026-12-02")], "en") == "Dec 2, 2026"
    assert display_value(CustomFieldDef(id=2, kind="text", label_es="Código"), [(None, "2026-12-02")],
                         "en") == "2026-12-02"
