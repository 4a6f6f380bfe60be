"""The client picker (components/client_picker.py): choose a customer for an order, a sale, a lead, an
account's members or a template's preview."""

ES = {
    "client_picker_label": "Cliente",
    "client_picker_placeholder": "Nombre, teléfono o identificación",
    "client_picker_results": "Clientes encontrados",
    "client_picker_none": "Ningún cliente coincide.",
    "client_picker_new": "Nuevo cliente",
    "client_picker_change": "Cambiar",
    "client_picker_change_named": "Cambiar el cliente {name}",
    "client_picker_confirm_conflictive": "{name} está marcado como conflictivo. ¿Elegirlo igualmente?",
}

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
