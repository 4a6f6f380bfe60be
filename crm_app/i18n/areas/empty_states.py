"""What an empty list says: what it is for and how to add its first entry (customers, accounts, templates,
invitations, tasks, custom fields, the trash)."""

ES = {
    "accounts_empty": "Todavía no hay cuentas.",
    "accounts_empty_hint": "Una cuenta agrupa a los clientes de una misma empresa u organización.",
    "accounts_empty_action": "Crear la primera cuenta",
    "customers_empty": "Todavía no hay clientes.",
    "customers_empty_hint": "Crea el primero aquí o invita a un cliente a completar sus propios datos.",
    "customers_empty_action": "Crear el primer cliente",
    "trash_empty": "La papelera está vacía.",
    "no_custom_fields_hint": "Agrega los datos propios de tu negocio (p. ej. «Sucursal») con «Nuevo campo».",
    "no_templates_channel": "No hay plantillas para este canal.",
    "templates_empty_hint": "Escribe un correo, SMS o WhatsApp una vez y envíalo a cualquier cliente.",
    "templates_empty_action": "Crear la primera plantilla",
    "invitations_empty": "Todavía no has invitado a ningún cliente.",
    "invitations_empty_hint": "Con «Invitar cliente» le envías un enlace para que complete sus datos.",
    "invitations_no_match": "No hay invitaciones con este estado.",
    "my_tasks_empty_hint": "Las tareas se crean desde la ficha de un cliente.",
}

EN = {
    "accounts_empty": "No accounts yet.",
    "accounts_empty_hint": "An account groups the customers of one company or organization.",
    "accounts_empty_action": "Create the first account",
    "customers_empty": "No customers yet.",
    "customers_empty_hint": "Create the first one here or invite a customer to fill in their own details.",
    "customers_empty_action": "Create the first customer",
    "trash_empty": "The trash is empty.",
    "no_custom_fields_hint": "Add the details your business needs, such as “Branch”, with “New field”.",
    "no_templates_channel": "No templates for this channel.",
    "templates_empty_hint": "Write an e-mail, SMS or WhatsApp message once and send it to any customer.",
    "templates_empty_action": "Create the first template",
    "invitations_empty": "You have not invited any customer yet.",
    "invitations_empty_hint": "“Invite customer” sends a link so they can fill in their details.",
    "invitations_no_match": "No invitations with this status.",
    "my_tasks_empty_hint": "Tasks are created from a customer's profile.",
}
