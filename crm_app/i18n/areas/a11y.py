"""Accessibility: the browser tab's title of every page, and names of controls that only had an icon."""

ES = {
    "html_lang": "es",  # the language code of <html lang> and of date inputs
    "title_home": "Inicio",
    "title_customers": "Clientes",
    "title_customer": "Cliente",
    "title_accounts": "Cuentas",
    "title_account": "Cuenta",
    "title_tasks": "Mis tareas",
    "title_templates": "Plantillas",
    "title_invitations": "Invitaciones",
    "title_settings": "Configuración",
    "title_form_editor": "Formulario de clientes",
    "title_users": "Usuarios",
    "title_my_account": "Mi cuenta",
    "title_login": "Iniciar sesión",
    "title_register": "Registro",
    "title_setup": "Configuración inicial",
    "files_input_label": "Elegir archivos para adjuntar",
}

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
