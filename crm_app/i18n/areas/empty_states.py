"""What an empty list says: what it is for and how to add its first entry (customers, accounts, templates,
invitations, tasks, custom fields, the trash)."""

EN = {
    "accounts_empty": "No accounts yet.",
    "accounts_empty_hint": "An account groups the customers of one company or organization.",
    "accounts_empty_action": "Create the first account",
    "customers_empty": "No customers yet.",
    "customers_empty_hint": "Create the first one here or invite a customer to fill in their own details.",
    "customers_empty_action": "Create the first customer",
    "trash_empty": "The trash is empty.",
    "no_custom_fields_hint": "Add the details your business needs, such as “Branch”, with “New field”.",
    "no_templates_channel": "No templates for this channel.",
    "templates_empty_hint": "Write an e-mail, SMS or WhatsApp message once and send it to any customer.",
    "templates_empty_action": "Create the first template",
    "invitations_empty": "You have not invited any customer yet.",
    "invitations_empty_hint": "“Invite customer” sends a link so they can fill in their details.",
    "invitations_no_match": "No invitations with this status.",
    "my_tasks_empty_hint": "Tasks are created from a customer's profile.",
}
