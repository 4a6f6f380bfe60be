"""What the API's accounts, feed, documents and form-configuration routes say to an integrator."""

EN = {
    "api_sale_credit_needs_admin": (
        "This credit sale of {total} {currency} is over the client's credit limit (limit {limit}, owes"
        " {owed}, available {available}). The API does not record it: only an admin can approve it, in"
        " Clientela, when recording the sale."
    ),
}
