"""The profile on a phone (tabs, action bar), automatic phone types and the settings lists' built-ins."""

ES = {
    "phone_kind_auto": "Automático (según el número)",
    "profile_tab_summary": "Resumen",
    "profile_tab_activity": "Actividad",
    "profile_tab_messages": "Mensajes",
    "profile_tab_files": "Archivos",
    "quick_actions": "Acciones rápidas",
    "action_comment": "Comentar",
    "action_task": "Nueva tarea",
    "list_builtin": "Incluido",
    "list_empty": "Todavía no hay ninguno.",
    "list_phone_labels_hint": "Móvil, Trabajo, Casa y Otro vienen incluidos. Los tipos que agregues se "
                              "sugieren como etiqueta al elegir «Otro» en un teléfono.",
    "list_order_types_hint": "No hay tipos incluidos: cada tipo que agregues, con su color, servirá para "
                             "clasificar los pedidos.",
}

EN = {
    "phone_kind_auto": "Automatic (from the number)",
    "profile_tab_summary": "Summary",
    "profile_tab_activity": "Activity",
    "profile_tab_messages": "Messages",
    "profile_tab_files": "Files",
    "quick_actions": "Quick actions",
    "action_comment": "Comment",
    "action_task": "New task",
    "list_builtin": "Built-in",
    "list_empty": "None yet.",
    "list_phone_labels_hint": "Mobile, Work, Home and Other are built in. Types you add are suggested as "
                              "the label when a phone's type is “Other”.",
    "list_order_types_hint": "There are no built-in types: each type you add, with its colour, will "
                             "classify orders.",
}
