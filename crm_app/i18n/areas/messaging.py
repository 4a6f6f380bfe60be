"""Templates, messages to customers, the outbox and invitations."""

ES = {
    "invalid_choice": "Elige una de las opciones.",
    "template_syntax": "Error en la plantilla (línea {line}): {detail}",
    "template_unknown_placeholder": "Marcador desconocido «{detail}» (línea {line}).",
    "template_forbidden": "La plantilla intenta algo no permitido: {detail}",
    "template_name_taken": "Ya hay una plantilla con ese nombre para este canal.",
    "message_target_unknown": "Elige un teléfono o correo de este cliente.",
    "no_email_consent": "{address} no acepta correos: no se le puede escribir.",
    "no_sms_flag": "El número {number} no tiene SMS activado.",
    "no_whatsapp_flag": "El número {number} no tiene WhatsApp activado.",
    "invitation_invalid": "Este enlace no es válido: puede haber caducado o ya fue usado. Pide uno nuevo.",
    "invitation_already_used": "Esta invitación ya fue usada.",
    "too_many_requests": "Demasiados intentos. Espera un momento y vuelve a intentarlo.",
    "invitation_done_subject": "{name} completó su registro",
    "invitation_done_body": "{name} ({email}) completó el registro con tu invitación.\n\nVer cliente: {link}",
}

EN = {
    "invalid_choice": "Choose one of the options.",
    "template_syntax": "Template error (line {line}): {detail}",
    "template_unknown_placeholder": "Unknown placeholder “{detail}” (line {line}).",
    "template_forbidden": "The template tries something not allowed: {detail}",
    "template_name_taken": "There is already a template with that name for this channel.",
    "message_target_unknown": "Choose a phone or e-mail of this customer.",
    "no_email_consent": "{address} does not accept e-mail: you cannot write to it.",
    "no_sms_flag": "The number {number} does not have SMS enabled.",
    "no_whatsapp_flag": "The number {number} does not have WhatsApp enabled.",
    "invitation_invalid": "This link is not valid: it may have expired or been used. Ask for a new one.",
    "invitation_already_used": "This invitation has already been used.",
    "too_many_requests": "Too many attempts. Wait a moment and try again.",
    "invitation_done_subject": "{name} completed their registration",
    "invitation_done_body": (
        "{name} ({email}) completed the registration with your invitation.\n\nSee customer: {link}"
    ),
}
