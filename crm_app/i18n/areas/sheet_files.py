"""Why an uploaded spreadsheet cannot be read (domain/sheet_reading's and sheet_guard's FieldError codes;
``file_empty`` is the files area's)."""

EN = {
    "file_type_unsupported": (
        "This is not a spreadsheet we can read: upload an .xlsx, .xls, .ods or .csv file (if you renamed "
        "it, save it again from Excel or LibreOffice in one of those formats)."
    ),
    "file_too_large": "The file is over the {max_mb} MB limit: split it into several.",
    "file_too_many_rows": "The file has more than {max} rows: split it into several.",
    "file_sheet_too_big": (
        "The sheet has data down to row {rows} and across to column {columns}: delete the stray cells far "
        "from the table (or the empty rows and columns that hold something) and upload it again."
    ),
    "file_unreadable": (
        "The file is damaged or incomplete: open it in Excel or LibreOffice and save it again."
    ),
    "file_encrypted": "The file is password-protected: save it without a password and upload it again.",
    "file_zip_bomb": (
        "The file unpacks into something far larger than a customer list; it will not be read. Save it "
        "again from Excel or LibreOffice."
    ),
    "file_no_header": (
        "The first row must hold the column names (First names, Phone, E-mail…), but it looks like a "
        "customer: add a header row above it or use the template."
    ),
}
