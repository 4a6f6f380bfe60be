"""Work orders: the list, the form and its status actions, their refusals; and the order types'
"walk-in" switch in /settings."""

EN = {
    "title_orders": "Orders",
    "title_new_order": "New order",
    "title_order": "Order",
    # List
    "orders_title": "Orders",
    "new_order": "New order",
    "search_orders": "Search by order number or client",
    "search_orders_short": "Search orders",
    "no_orders": "No orders match.",
    "orders_empty": "No orders yet",
    "orders_empty_hint": "Record repairs, services and subscriptions with their client, lines and total.",
    "orders_filter_status": "Status",
    "orders_filter_type": "Order type",
    "orders_filter_assignee": "Assignee",
    "orders_all_types": "All",
    "orders_all_assignees": "All",
    "col_order_number": "Number",
    "col_order_type": "Type",
    "col_order_client": "Client",
    "col_order_status": "Status",
    "col_order_assignee": "Assignee",
    "col_order_due": "Due",
    "col_order_total": "Total",
    "col_order_created": "Created",
    "order_no_client": "No client",
    # Form
    "back_to_orders": "← Orders",
    "order_heading": "Order {number}",
    "order_type": "Order type",
    "order_type_choose": "Choose a type",
    "order_walk_in_hint": "This type takes orders without a client (walk-in).",
    "order_no_types": "No order types yet: an admin adds them in Settings.",
    "order_client_optional_hint": "The client can wait while the order is open.",
    "order_due_date": "Due date",
    "order_assignee": "Assignee",
    "order_no_assignee": "No assignee",
    "order_notes": "Notes",
    "order_save": "Save order",
    "order_create": "Create order",
    "order_created": "Order {number} created.",
    "order_saved": "Order {number} saved.",
    "order_status_actions": "Change the status",
    "order_move_to": "Move to “{status}”",
    "order_status_changed": "Order {number}: {status}.",
    "order_delete": "Delete order",
    "order_confirm_delete": "Delete order {number}? Its number is never used again.",
    "order_deleted": "Order {number} deleted.",
    "order_not_found": "Order not found.",
    "order_not_found_hint": "It does not exist, was deleted or belongs to another organization.",
    "order_created_at": "Created {when}",
    # Refusals
    "order_type_unknown": "Choose one of the organization's order types.",
    "order_customer_unknown": "Choose a client from the list.",
    "order_assignee_unknown": "Choose an active user of the organization.",
    "order_client_required": (
        "Choose the client before confirming the order: this type takes no walk-in orders."
    ),
    "order_status_invalid": "Not an order status.",
    "order_save_client_first": "Save the order with its new client before changing its status.",
    "order_stale_version": (
        "{by} saved this order while you were editing it. Reload the page to see their changes;"
        " nothing was overwritten."
    ),
    # /settings: the order types' switch
    "order_type_walk_in": "Takes orders without a client (walk-in)",
    "order_type_walk_in_named": "{name} takes orders without a client (walk-in)",
}
