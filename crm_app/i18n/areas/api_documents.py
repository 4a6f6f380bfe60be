"""What the API's accounts, feed, documents and form-configuration routes say to an integrator."""

ES = {
    "api_sale_credit_needs_admin": (
        "Esta venta a crédito de {total} {currency} supera el límite de crédito del cliente (límite {limit},"
        " debe {owed}, disponible {available}). La API no la registra: solo un administrador puede"
        " autorizarla, en Clientela, al registrar la venta."
    ),
}

EN = {
    "api_sale_credit_needs_admin": (
        "This credit sale of {total} {currency} is over the client's credit limit (limit {limit}, owes"
        " {owed}, available {available}). The API does not record it: only an admin can approve it, in"
        " Clientela, when recording the sale."
    ),
}
