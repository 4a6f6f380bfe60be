"""The duplicate scan's pure logic: folding names, blocking keys, the score of a pair and its reasons
(typos, accents, reordered names, a phone typed in another format, a family's shared phone, namesakes)."""

from __future__ import annotations

import pytest

from crm_app.domain.duplicates import (
    MAX_NAME_BLOCK,
    MIN_SCORE,
    block_keys,
    block_pairs,
    compact_tax_id,
    email_local,
    fold_name,
    fold_street,
    groups_of,
    make_profile,
    name_similarity,
    name_tokens,
    reason_bits,
    reason_names,
    score_pair,
)
from crm_app.domain.phones import phone_e164

P = make_profile


def test_fold_name_drops_accents_case_and_punctuation():
    assert fold_name("  José  PÉREZ-Núñez, ") == "jose perez nunez"
    assert fold_name("O'Connor & Cía.") == "o connor cia"
    assert fold_name("") == ""


def test_name_tokens_skip_particles_and_initials():
    assert name_tokens("maria de la cruz j") == ("cruz", "maria")
    assert name_tokens("ferreteria el sol sa") == ("ferreteria", "sol")


def test_identifiers_are_compacted_and_mailboxes_generic_ones_left_out():
    assert compact_tax_id("1790.012.345-001") == "1790012345001"
    assert compact_tax_id(None) == ""
    assert email_local("Juan.Perez+promo@Gmail.com") == "juan.perez"
    assert email_local("info@empresa.com") == ""
    assert fold_street("Av. Amazonas N34-120", "Quito") == "av amazonas n34 120|quito"
    assert fold_street("Av. Amazonas", "Quito") == ""  # no number: a whole avenue is no address


def test_block_keys():
    p = P(1, names=["Juan Pérez"], phones=["+593991234567"], emails=["jperez@x.com"], tax_id="1710034065",
          loyalty_id="L1", birthday="1980-05-03", street="Calle Sucre 12", city="Quito")
    keys = block_keys(p)
    assert {"p:+593991234567", "e:jperez", "t:1710034065", "l:L1", "n:juan", "n:perez",
            "nb:juan|1980-05-03", "ns:perez|calle sucre 12|quito"} <= set(keys)


def test_a_generic_mailbox_blocks_on_its_whole_address():
    a = P(1, names=["Comercial Andes"], emails=["info@andes.ec"])
    assert "e:info@andes.ec" in block_keys(a) and "e:info" not in block_keys(a)


def test_reordered_names_with_the_same_phone_typed_otherwise():
    a = P(1, names=["Pérez Juan"], phones=[phone_e164("099 123 4567", "EC")])
    b = P(2, names=["Juan Perez"], phones=[phone_e164("+593 99 123 4567", "EC")])
    assert name_similarity(a, b) == 100
    score, reasons = score_pair(a, b)
    assert reasons == ("phone", "name") and score >= 85


@pytest.mark.parametrize("other", ["Jaun Pérez", "Juan Peres", "JUAN PEREZ", "juan pérez", "Juan Pérez."])
def test_typos_accents_case_keep_the_name_similar(other):
    a = P(1, names=["Juan Pérez"], emails=["jp@x.com"])
    b = P(2, names=[other], emails=["JP@X.com"])
    score, reasons = score_pair(a, b)
    assert reasons == ("email", "name") and score == 90


def test_a_family_sharing_a_phone_scores_lower_than_the_same_person():
    same = score_pair(P(1, names=["Ana Torres"], phones=["+593987654321"]),
                      P(2, names=["Ana Torres"], phones=["+593987654321"]))
    family = score_pair(P(1, names=["Ana Torres"], phones=["+593987654321"]),
                        P(3, names=["Pedro Salinas"], phones=["+593987654321"]))
    assert family[1] == ("phone",)
    assert MIN_SCORE <= family[0] < same[0]


def test_more_identifiers_score_higher():
    one = score_pair(P(1, names=["Ana Torres"], tax_id="1"), P(2, names=["Ana Torres"], tax_id="1"))
    two = score_pair(P(1, names=["Ana Torres"], tax_id="1", loyalty_id="L"),
                     P(2, names=["Ana Torres"], tax_id="1", loyalty_id="L"))
    assert two[0] > one[0]
    assert two[1] == ("tax_id", "loyalty_id", "name")


def test_namesakes_alone_are_no_candidates_but_supported_names_are():
    assert score_pair(P(1, names=["José García"]), P(2, names=["Jose Garcia"])) is None
    born = score_pair(P(1, names=["José García"], birthday="1970-01-02"),
                      P(2, names=["Jose Garcia"], birthday="1970-01-02"))
    assert born[1] == ("name",) and born[0] < score_pair(
        P(1, names=["José García"], phones=["+593991234567"]),
        P(2, names=["Jose Garcia"], phones=["+593991234567"]))[0]
    street = score_pair(P(1, names=["García José"], street="Calle Sucre 12", city="Quito"),
                        P(2, names=["Jose Garcia"], street="Calle Sucre 12", city="Quito"))
    assert street[1] == ("name",)
    # Same birthday but another name: nothing.
    assert score_pair(P(1, names=["José García"], birthday="1970-01-02"),
                      P(2, names=["Rosa Mora"], birthday="1970-01-02")) is None
    # A mailbox at another domain is no support alone; with a birthday, a distinctive one adds to it.
    assert score_pair(P(1, names=["Ana Ruiz"], emails=["anaruiz77@a.com"]),
                      P(2, names=["Ana Ruiz"], emails=["anaruiz77@b.com"])) is None
    born = {"birthday": "1990-03-04"}
    common = score_pair(P(1, names=["Ana Ruiz"], emails=["ana.ruiz@a.com"], **born),
                        P(2, names=["Ana Ruiz"], emails=["ana.ruiz@b.com"], **born))
    distinctive = score_pair(P(1, names=["Ana Ruiz"], emails=["anaruiz77@a.com"], **born),
                             P(2, names=["Ana Ruiz"], emails=["anaruiz77@b.com"], **born))
    assert common[0] < distinctive[0] <= 75


def test_company_names_compare_across_legal_and_trade_names():
    a = P(1, names=["Ferretería El Sol", "Comercial Sol S.A."], tax_id="1790012345001")
    b = P(2, names=["COMERCIAL SOL SA"], tax_id="1790012345001")
    assert score_pair(a, b)[1] == ("tax_id", "name")


def test_candidate_pairs_skip_oversized_name_blocks_and_groups_join():
    big = [("n:maria", list(range(1, MAX_NAME_BLOCK + 2))), ("p:+1", [5, 3]), ("e:x", [3, 9, 5])]
    assert list(block_pairs(big)) == [(3, 5), (3, 9), (5, 9)]  # each once
    assert groups_of([(3, 5), (7, 8), (5, 9)]) == {3: [3, 5, 9], 7: [7, 8]}


def test_reason_bits_round_trip():
    assert reason_names(reason_bits(["name", "phone"])) == ("phone", "name")
