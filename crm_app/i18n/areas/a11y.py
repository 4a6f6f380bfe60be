"""Accessibility: the browser tab's title of every page, and names of controls that only had an icon."""

EN = {
    "html_lang": "en",
    "title_home": "Home",
    "title_customers": "Customers",
    "title_customer": "Customer",
    "title_accounts": "Accounts",
    "title_account": "Account",
    "title_tasks": "My tasks",
    "title_templates": "Templates",
    "title_invitations": "Invitations",
    "title_settings": "Settings",
    "title_form_editor": "Customer form",
    "title_users": "Users",
    "title_my_account": "My account",
    "title_login": "Sign in",
    "title_register": "Registration",
    "title_setup": "Initial setup",
    "files_input_label": "Choose files to attach",
}
