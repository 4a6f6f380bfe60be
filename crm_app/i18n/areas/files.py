"""Customer files (upload, list, download, delete) and the location map."""

ES = {
    "files": "Archivos",
    "files_hint": "Imágenes, PDF, documentos de Office, texto o CSV · hasta {max_mb} MB cada uno · "
                  "{max_files} a la vez",
    "files_drop_here": "Arrastra archivos aquí o",
    "files_choose": "Elegir archivos",
    "files_uploading": "Subiendo archivos",
    "files_none": "Todavía no hay archivos.",
    "files_more": "Ver más archivos",
    "files_attached": "Archivos adjuntados: {count}",
    "files_delete": "Eliminar {name}",
    "files_download": "Descargar {name}",
    "files_open": "Abrir {name}",
    "confirm_delete_file": "¿Eliminar el archivo «{name}»? No se puede deshacer.",
    "file_deleted": "Archivo eliminado.",
    "file_too_big": "Es demasiado grande: el máximo es {max_mb} MB.",
    "file_empty": "Está vacío.",
    "file_type_not_allowed": "Este tipo de archivo no está permitido (se admiten imágenes, PDF, "
                             "documentos de Office, texto y CSV).",
    "files_too_many": "Demasiados archivos a la vez: el máximo es {max_files}.",
    "file_upload_failed": "No se pudo subir.",
    "map_location": "Ubicación en el mapa",
    "map_pick_hint": "Haz clic en el mapa para fijar el punto, o escribe la latitud y la longitud.",
}

EN = {
    "files": "Files",
    "files_hint": "Images, PDF, Office documents, text or CSV · up to {max_mb} MB each · "
                  "{max_files} at a time",
    "files_drop_here": "Drop files here or",
    "files_choose": "Choose files",
    "files_uploading": "Uploading files",
    "files_none": "No files yet.",
    "files_more": "Show more files",
    "files_attached": "Files attached: {count}",
    "files_delete": "Delete {name}",
    "files_download": "Download {name}",
    "files_open": "Open {name}",
    "confirm_delete_file": "Delete the file “{name}”? This cannot be undone.",
    "file_deleted": "File deleted.",
    "file_too_big": "It is too big: the maximum is {max_mb} MB.",
    "file_empty": "It is empty.",
    "file_type_not_allowed": "This type of file is not allowed (images, PDF, Office documents, text and CSV "
                             "are).",
    "files_too_many": "Too many files at once: the maximum is {max_files}.",
    "file_upload_failed": "Could not be uploaded.",
    "map_location": "Location on the map",
    "map_pick_hint": "Click the map to set the point, or type the latitude and longitude.",
}
