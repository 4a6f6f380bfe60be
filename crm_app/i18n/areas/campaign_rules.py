"""What the campaign services say: refusals, the test send's subject and the unsubscribe footer of
every campaign e-mail (services/campaigns)."""

ES = {
    "camp_segment_name_taken": "Ya hay un segmento llamado «{name}».",
    "camp_template_not_email": "Elija una plantilla de correo electrónico de su organización.",
    "camp_segment_unknown": "Ese segmento ya no existe.",
    "camp_not_draft": "La campaña ya se inició: ya no se puede cambiar ni borrar.",
    "camp_not_sending": "Solo se puede pausar una campaña que se está enviando.",
    "camp_not_paused": "Solo se puede reanudar una campaña en pausa.",
    "camp_still_stopping": "La preparación aún se está deteniendo; vuelva a intentarlo en unos segundos.",
    "camp_not_live": "La campaña ya terminó o se canceló.",
    "camp_schedule_past": "Elija un momento futuro.",
    "camp_test_prefix": "[Prueba]",
    "camp_footer": "Recibe este correo porque aceptó recibir nuestras comunicaciones.",
    "camp_footer_link": "Darse de baja",
}

EN = {
    "camp_segment_name_taken": "There is already a segment called “{name}”.",
    "camp_template_not_email": "Choose one of your organization's e-mail templates.",
    "camp_segment_unknown": "That segment no longer exists.",
    "camp_not_draft": "The campaign has started: it can no longer be changed or deleted.",
    "camp_not_sending": "Only a campaign that is sending can be paused.",
    "camp_not_paused": "Only a paused campaign can be resumed.",
    "camp_still_stopping": "The preparation is still stopping; try again in a few seconds.",
    "camp_not_live": "The campaign has already ended or was cancelled.",
    "camp_schedule_past": "Choose a time in the future.",
    "camp_test_prefix": "[Test]",
    "camp_footer": "You receive this e-mail because you agreed to receive our messages.",
    "camp_footer_link": "Unsubscribe",
}
