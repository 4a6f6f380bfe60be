"""Sales: the list, the counter form, the receipt and its actions, the credit rule's messages."""

EN = {
    "title_sales": "Sales",
    "title_new_sale": "New sale",
    "title_sale": "Sale",
    # List
    "sales_title": "Sales",
    "new_sale": "New sale",
    "search_sales": "Search by sale number or client",
    "search_sales_short": "Search sales",
    "no_sales": "No sales match.",
    "sales_empty": "No sales yet",
    "sales_empty_hint": "Record each counter sale: its lines, how it was paid and, if you like, the client.",
    "sales_filter_status": "Status",
    "sales_filter_method": "Payment method",
    "sales_filter_seller": "Seller",
    "sales_all_methods": "All",
    "sales_all_sellers": "All",
    "col_sale_number": "Number",
    "col_sale_client": "Client",
    "col_sale_method": "Payment",
    "col_sale_status": "Status",
    "col_sale_seller": "Seller",
    "col_sale_total": "Total",
    "col_sale_date": "Date",
    "sale_counter_client": "Counter sale",
    "sale_credit_owed": "To collect",
    "sale_credit_paid": "Paid",
    # Form
    "back_to_sales": "← Sales",
    "sale_heading": "Sale {number}",
    "sale_client_optional": "Client (optional)",
    "sale_client_hint": "Without a client it is a counter sale; a credit sale needs one.",
    "sale_method": "Payment method",
    "sale_notes": "Note (optional)",
    "sale_record": "Record sale",
    "sale_recorded": "Sale {number} recorded for {total}.",
    "sale_credit_hint": "Credit limit {limit} · owes {owed} · available {available}",
    "sale_credit_hint_none": "No credit limit: a credit sale needs an admin (owes {owed}).",
    "sale_credit_confirm_title": "Credit sale over the limit",
    "sale_credit_confirm_yes": "Record it anyway",
    # Receipt
    "sale_receipt": "Receipt",
    "sale_created_at": "Recorded {when}",
    "sale_seller": "Seller",
    "sale_client": "Client",
    "sale_paid_at": "Paid {when}",
    "sale_pending_payment": "Payment pending",
    "sale_approved_by": "Credit over the limit approved by {name}",
    "sale_discount": "Discount {percent}",
    "sale_mark_paid": "Mark paid",
    "sale_marked_paid": "Sale {number} marked as paid.",
    "sale_cancel": "Cancel sale",
    "sale_confirm_cancel": "Cancel sale {number}? It no longer counts in the client's purchases.",
    "sale_cancelled_toast": "Sale {number} cancelled.",
    "sale_delete": "Delete sale",
    "sale_confirm_delete": "Delete sale {number}? Its number is never used again.",
    "sale_deleted": "Sale {number} deleted.",
    "sale_not_found": "Sale not found.",
    "sale_not_found_hint": "It does not exist, was deleted or belongs to another organization.",
    "sale_actions": "Actions",
    # Refusals
    "sale_customer_unknown": "Choose a client from the list.",
    "sale_credit_needs_client": "Choose the client: a credit sale needs one.",
    "sale_method_invalid": "Choose a payment method.",
    "sale_status_invalid": "Not a sale status.",
    "sale_credit_over_limit": (
        "Over the client's credit limit: limit {limit}, owes {owed}, available {available}."
        " Only an admin can approve it."
    ),
    "sale_credit_no_limit": (
        "The client has no credit limit (owes {owed}). Only an admin can approve a credit sale."
    ),
    "sale_credit_confirm": (
        "This credit sale of {total} is over the client's limit: limit {limit}, owes {owed},"
        " available {available}. Record it anyway?"
    ),
    "sale_not_open_credit": "Only a pending credit sale can be marked paid.",
    "sale_already_cancelled": "This sale is already cancelled.",
    "sale_stale_version": (
        "{by} changed this sale while you were viewing it. Reload the page to see the changes;"
        " nothing was overwritten."
    ),
}
