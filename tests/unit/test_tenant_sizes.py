"""The multi-tenant benchmark's tenant sizes (bench/tenants_seed.py): what the issue asks of the hosted
case, 100 to 200,000 customers per organization, skewed, adding up to the total asked for."""

from __future__ import annotations

import pytest

from bench.tenants_seed import LARGEST, SMALLEST, tenant_sizes


@pytest.mark.parametrize(("organizations", "total"), [(10, 300_000), (98, 899_000), (1000, 10_000_000)])
def test_sizes_add_up_within_bounds_and_are_skewed(organizations: int, total: int) -> None:
    sizes = tenant_sizes(organizations, total)
    assert len(sizes) == organizations
    assert sum(sizes) == total
    assert all(SMALLEST <= size <= LARGEST for size in sizes)
    median = sorted(sizes)[organizations // 2]
    assert sizes[0] > 5 * median  # a few large tenants, most much smaller
    assert tenant_sizes(organizations, total) == sizes  # fixed seed: every run seeds the same tenants


def test_an_impossible_split_is_refused() -> None:
    with pytest.raises(ValueError):
        tenant_sizes(10, 500)  # fewer than 100 each
    with pytest.raises(ValueError):
        tenant_sizes(2, 1_000_000)  # more than 200,000 each
