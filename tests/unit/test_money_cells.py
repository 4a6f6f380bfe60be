"""A money column of an .xlsx export: the cells stay numbers, shown with the reader's currency format."""

import zipfile
from decimal import Decimal

from crm_app.domain.locale_format import excel_money_format
from crm_app.services.sheet_writers import write_xlsx


def test_money_cells_are_numbers_with_the_currency_format(tmp_path):
    path = tmp_path / "clientes.xlsx"
    money = excel_money_format("BRL", "pt", "BR")
    write_xlsx(path, ["Nome", "Limite de crédito"], [["Ana", Decimal("1234.56")], ["João", None]],
               number_formats={1: money})
    with zipfile.ZipFile(path) as book:
        styles = book.read("xl/styles.xml").decode()
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert 'formatCode="&quot;R$&quot; #,##0.00"' in styles
    # A number cell (no t="s" shared string) holding the amount itself.
    assert '<c r="B2" s="' in sheet and "<v>1234.56</v>" in sheet
