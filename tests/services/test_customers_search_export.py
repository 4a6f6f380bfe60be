"""The export holds exactly the list the panel's filters select (services/customer_export reads the same
ListFilters as the page): created on the organization's local days, by a user, from a source, unreachable."""

from __future__ import annotations

from crm_app.domain.customer_list_params import read_filters
from crm_app.services.customer_export import start_export
from tests.services.test_customers_search_created import arrivals  # noqa: F401 - the fixture, shared


def _exported(session, actor, params: dict[str, str]) -> list[str]:
    export = start_export(session=session, actor=actor, filters=read_filters(params), file_format="csv")
    session.commit()
    header = [str(getattr(cell, "value", cell)) for cell in export.header]
    first, last = header.index("Nombres"), header.index("Apellidos")
    return [f"{getattr(row[first], 'value', row[first])} {getattr(row[last], 'value', row[last])}"
            for row in export.rows]


def _listed(made, keep) -> list[str]:
    return sorted((c["name"] for c in made.values() if keep(c)), key=str.lower)


def test_the_export_honours_the_panels_filters(session, arrivals):  # noqa: F811 - the fixture
    admin, sales, made, _ = arrivals
    assert _exported(session, admin, {"source": "import"}) == _listed(made, lambda c: c["source"] == "import")
    assert _exported(session, admin, {"created_by": str(sales.user_id)}) == _listed(
        made, lambda c: c["by"] == sales.user_id)
    assert _exported(session, admin, {"reach": "none"}) == _listed(made, lambda c: not c["reachable"])
    nov_1 = _exported(session, admin, {"created_from": "2026-11-01", "created_to": "2026-11-01"})
    assert "Ana Vera 00" in nov_1 and "Luis Vera 01" not in nov_1  # 23:30 local counts; 23:59 of Oct 31 not
    assert nov_1 == _listed(made, lambda c: c["i"] in (0, 2, 3))
