"""Messages of the public REST API (/api/v1): its problem answers, in the caller's language."""

ES = {
    "api_unauthorized": "Falta una clave API válida en la cabecera Authorization: Bearer.",
    "api_key_owner_inactive": "La persona que creó esta clave API ya no está activa; pida una clave nueva.",
    "api_scope_missing": "Esta clave API no tiene el permiso «{scope}».",
    "api_rate_limited": "Demasiadas solicitudes con esta clave API; vuelva a intentarlo en {seconds} s.",
    "api_not_found": "No existe o no pertenece a su organización.",
    "api_forbidden": "Su rol no permite esta operación.",
    "api_conflict": "La operación choca con los datos existentes.",
    "api_validation_failed": "Algunos datos no son válidos; vea «errors».",
    "api_if_match_required": "Falta la cabecera If-Match con el ETag de la última lectura.",
    "api_version_stale": "El registro cambió desde su última lectura; léalo de nuevo y reintente.",
    "api_bad_cursor": "El cursor no es válido; use el next_cursor de una respuesta anterior.",
    "api_idempotency_mismatch": "Esta Idempotency-Key ya se usó con otra solicitud.",
    "api_idempotency_running": (
        "Una solicitud con esta Idempotency-Key aún está en curso; reintente en unos segundos."
    ),
    "api_batch_too_large": "Un lote admite como máximo {limit} elementos.",
    "api_field_missing": "Este campo es obligatorio.",
    "api_field_invalid": "Valor no válido: {reason}",
    "api_body_invalid": "El cuerpo de la solicitud no es JSON válido.",
    "api_server_error": "Error interno; inténtelo de nuevo más tarde.",
    "api_method_not_allowed": "Método no permitido para esta dirección.",
    "api_batch_retry": (
        "Otra solicitud cambió los mismos datos a la vez; no se guardó nada, envíe el lote de nuevo."
    ),
    "api_feed_via_api_key": "{author} · vía clave API «{name}»",
    "api_feed_via_web_form": "{author} · vía formulario web «{name}»",
    "api_feed_via_lead_ads": "{author} · vía Facebook Lead Ads",
}

EN = {
    "api_unauthorized": "A valid API key is missing from the Authorization: Bearer header.",
    "api_key_owner_inactive": "The person who created this API key is no longer active; ask for a new key.",
    "api_scope_missing": "This API key lacks the “{scope}” scope.",
    "api_rate_limited": "Too many requests with this API key; try again in {seconds} s.",
    "api_not_found": "It does not exist or does not belong to your organization.",
    "api_forbidden": "Your role does not allow this operation.",
    "api_conflict": "The operation conflicts with existing data.",
    "api_validation_failed": "Some values are not valid; see “errors”.",
    "api_if_match_required": "The If-Match header with the ETag of your last read is missing.",
    "api_version_stale": "The record changed since you last read it; read it again and retry.",
    "api_bad_cursor": "The cursor is not valid; use the next_cursor of a previous answer.",
    "api_idempotency_mismatch": "This Idempotency-Key was already used with another request.",
    "api_idempotency_running": (
        "A request with this Idempotency-Key is still running; retry in a few seconds."
    ),
    "api_batch_too_large": "A batch holds at most {limit} items.",
    "api_field_missing": "This field is required.",
    "api_field_invalid": "Invalid value: {reason}",
    "api_body_invalid": "The request body is not valid JSON.",
    "api_server_error": "Internal error; please try again later.",
    "api_method_not_allowed": "Method not allowed for this address.",
    "api_batch_retry": (
        "Another request changed the same data at the same time; nothing was saved, send the batch again."
    ),
    "api_feed_via_api_key": "{author} · via API key “{name}”",
    "api_feed_via_web_form": "{author} · via website form “{name}”",
    "api_feed_via_lead_ads": "{author} · via Facebook Lead Ads",
}
