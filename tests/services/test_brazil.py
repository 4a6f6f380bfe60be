"""A Brazilian organization end to end: reais and São Paulo's time by default, customers with a CPF or a
CNPJ and +55 mobiles, a CPF another customer holds refused, and the list found by the CPF's digits."""

from __future__ import annotations

import pytest

from crm_app.domain.customers import CustomerInput, CustomerQuery, PhoneInput
from crm_app.domain.errors import ValidationFailed
from crm_app.services import customers
from tests.db import run_like_app
from tests.factories import make_org


def create(session, actor, data):
    return run_like_app(session, customers.create_customer, actor=actor, data=data)


def found(session, actor, search: str) -> list[str]:
    page = customers.list_customers(session=session, actor=actor, query=CustomerQuery(search=search))
    return [row.display_name for row in page.rows]


@pytest.fixture
def loja(session):
    org, admin = make_org(session, "Loja Paulista", country="BR")
    assert (org.currency, org.timezone) == ("BRL", "America/Sao_Paulo")
    joao = create(session, admin, CustomerInput(
        first_name="João", last_name="da Silva", tax_id="390.533.447-05",
        phones=(PhoneInput("(11) 91234-5678"),), postal_code="01310-100", city="São Paulo"))
    create(session, admin, CustomerInput(
        client_type="company", legal_name="Padaria Pão Quente Ltda.", tax_id="16.727.230/0001-97"))
    return admin, joao


def test_a_customer_gets_a_cpf_and_a_mobile_with_its_ninth_digit(session, loja):
    _admin, joao = loja
    assert (joao.tax_id_type, joao.tax_id_formatted) == ("cpf_br", "390.533.447-05")
    assert joao.tax_id == "39053344705"
    assert joao.phones[0].e164 == "+5511912345678"


def test_a_company_gets_a_cnpj(session, loja):
    admin, _joao = loja
    bakery = customers.list_customers(session=session, actor=admin, query=CustomerQuery(search="Padaria"))
    bakery = bakery.rows
    assert [row.tax_id_formatted for row in bakery] == ["16.727.230/0001-97"]


def test_a_cpf_another_customer_holds_is_refused(session, loja):
    admin, _joao = loja
    with pytest.raises(ValidationFailed) as refused:
        create(session, admin, CustomerInput(first_name="Maria", last_name="Souza", tax_id="39053344705"))
    assert refused.value.errors["tax_id"].code == "duplicate_tax_id"


def test_an_invalid_cpf_is_refused_next_to_its_field(session, loja):
    admin, _joao = loja
    with pytest.raises(ValidationFailed) as refused:
        create(session, admin, CustomerInput(first_name="Maria", last_name="Souza", tax_id="231.002.999-00"))
    assert refused.value.errors["tax_id"].code == "tax_id_invalid"


@pytest.mark.parametrize("typed", ["39053344705", "390.533.447-05", "3905334"])
def test_the_list_finds_a_customer_by_the_cpf_as_typed(session, loja, typed):
    admin, _joao = loja
    assert found(session, admin, typed) == ["João da Silva"]
