"""The customer export: the list's menu, the file's name and the columns the import template has not,
and its line in the activity log."""

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
