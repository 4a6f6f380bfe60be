"""Brazil: CPF for persons, CNPJ for companies and public bodies, checked by python-stdnum (its own
doctest vectors), shown 000.000.000-00 / 00.000.000/0000-00; +55 mobiles with the ninth digit."""

from __future__ import annotations

import random

import pytest
from stdnum.br import cnpj, cpf

from crm_app.domain.countries import COUNTRIES
from crm_app.domain.errors import FieldError
from crm_app.domain.phones import default_phone_kind, normalize_phone
from crm_app.domain.tax_ids import sample_tax_id, tax_id_types, validate_tax_id


def test_brazil_is_an_organization_country_with_its_currency_and_zone():
    brazil = COUNTRIES["BR"]
    assert (brazil.name_es, brazil.name_en, brazil.currency, brazil.timezone) == (
        "Brasil", "Brazil", "BRL", "America/Sao_Paulo")


def test_persons_take_a_cpf_and_organizations_a_cnpj():
    assert tax_id_types("BR", "person") == ["cpf_br", "passport"]
    assert tax_id_types("BR", "company") == ["cnpj"]
    assert tax_id_types("BR", "government") == ["cnpj"]
    with pytest.raises(FieldError) as refused:
        validate_tax_id("BR", "company", "cpf_br", "390.533.447-05")
    assert refused.value.code == "tax_id_type_not_allowed"


@pytest.mark.parametrize(("client_type", "id_type", "typed", "compact", "shown"), [
    ("person", "cpf_br", "390.533.447-05", "39053344705", "390.533.447-05"),
    ("person", "cpf_br", " 39053344705 ", "39053344705", "390.533.447-05"),
    ("company", "cnpj", "16.727.230/0001-97", "16727230000197", "16.727.230/0001-97"),
    ("government", "cnpj", "16727230000197", "16727230000197", "16.727.230/0001-97"),
    # The alphanumeric CNPJ issued from July 2026 (stdnum's vector, with its typographic dash).
    ("company", "cnpj", "12. ABC.345 /01DE\u201335", "12ABC34501DE35", "12.ABC.345/01DE-35"),
])
def test_valid_numbers_are_stored_compact_and_shown_formatted(client_type, id_type, typed, compact, shown):
    value = validate_tax_id("BR", client_type, id_type, typed)
    assert (value.compact, value.formatted) == (compact, shown)


@pytest.mark.parametrize(("client_type", "id_type", "typed"), [
    ("person", "cpf_br", "231.002.999-00"),  # wrong check digits
    ("person", "cpf_br", "390.533.447=0"),  # wrong delimiter
    ("person", "cpf_br", "111.111.111-11"),  # one repeated digit
    ("company", "cnpj", "16.727.230.0001-98"),
    ("company", "cnpj", "16.727.230/0001=97"),
])
def test_invalid_numbers_are_refused(client_type, id_type, typed):
    with pytest.raises(FieldError) as refused:
        validate_tax_id("BR", client_type, id_type, typed)
    assert refused.value.code == "tax_id_invalid"


@pytest.mark.parametrize(("client_type", "module"),
                         [("person", cpf), ("company", cnpj), ("government", cnpj)])
def test_samples_pass_stdnum(client_type, module):
    rng = random.Random(55)
    numbers = {sample_tax_id("BR", client_type, rng) for _ in range(300)}
    assert len(numbers) > 290
    for number in numbers:
        assert module.validate(number) == number


def test_a_brazilian_mobile_keeps_its_ninth_digit():
    phone = normalize_phone("(11) 91234-5678", "BR")
    assert (phone.e164, phone.national, phone.region_code) == ("+5511912345678", "(11) 91234-5678", "BR")
    assert default_phone_kind(phone.e164, "person") == "mobile"
    assert default_phone_kind(normalize_phone("(11) 3123-4567", "BR").e164, "person") == "home"


def test_a_mobile_without_its_ninth_digit_is_refused():
    with pytest.raises(FieldError):  # 8 digits after a mobile area's 9 prefix was dropped in 2016
        normalize_phone("(11) 1234-5678", "BR")
