"""The customer export: the list's menu, the file's name and the columns the import template has not,
and its line in the activity log."""

ES = {
    "export_button": "Exportar",
    "export_menu": "Exportar la lista",
    "export_xlsx": "Excel (.xlsx)",
    "export_csv": "CSV (.csv)",
    "export_file": "clientes",
    "export_col_accounts": "Cuentas",
    "export_col_created_at": "Creado el",
    "sales_transfer_section": "Importar y exportar",
    "sales_transfer_label": "Los vendedores pueden importar y exportar clientes",
    "sales_transfer_hint": "Los administradores siempre pueden. Cada importación y exportación queda en el "
                           "registro de actividad.",
    "admin_event_customers_export": "Clientes exportados",
}

EN = {
    "export_button": "Export",
    "export_menu": "Export the list",
    "export_xlsx": "Excel (.xlsx)",
    "export_csv": "CSV (.csv)",
    "export_file": "customers",
    "export_col_accounts": "Accounts",
    "export_col_created_at": "Created at",
    "sales_transfer_section": "Import and export",
    "sales_transfer_label": "Sales users may import and export customers",
    "sales_transfer_hint": "Admins always may. Every import and export is written to the activity log.",
    "admin_event_customers_export": "Customers exported",
}
