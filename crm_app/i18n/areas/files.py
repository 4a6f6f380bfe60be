"""Customer files (upload, list, download, delete) and the location map."""

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
