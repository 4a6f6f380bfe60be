"""Messages of the public REST API (/api/v1): its problem answers, in the caller's language."""

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
