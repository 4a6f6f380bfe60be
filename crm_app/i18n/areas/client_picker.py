"""The client picker (components/client_picker.py): choose a customer for an order, a sale, a lead, an
account's members or a template's preview."""

EN = {
    "client_picker_label": "Customer",
    "client_picker_placeholder": "Name, phone or tax ID",
    "client_picker_results": "Customers found",
    "client_picker_none": "No customer matches.",
    "client_picker_new": "New customer",
    "client_picker_change": "Change",
    "client_picker_change_named": "Change the customer {name}",
    "client_picker_confirm_conflictive": "{name} is marked as conflictive. Choose them anyway?",
}
