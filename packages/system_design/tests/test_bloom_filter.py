"""Tests for system_design.bloom_filter: no false negatives, the FP formula, optimal k."""

from __future__ import annotations

import functools
import math
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbook.system_design.bloom_filter import (
    BloomFilter,
    clear_bits_pitfall,
    expected_fp_rate,
    optimal_k,
)

M, N, PROBES = 5_000, 1_000, 10_000  # five bits per item


@functools.cache
def measured_fp(k: int) -> tuple[BloomFilter, int]:
    """Add N members to an M-bit filter, probe PROBES never-added keys, count the positives.

    Built once per k; the tests only read the filter.
    """
    bf = BloomFilter(M, k)
    for i in range(N):
        bf.add(f"member-{i}")
    bf._check()
    return bf, sum(bf.might_contain(f"stranger-{i}") for i in range(PROBES))


def fill_mean_and_sd(m: int, throws: int) -> tuple[float, float]:
    """Mean and sd of the fill ratio after ``throws`` uniform bit choices among m.

    Exact occupancy moments: with E empty bits, E[E] = m a, a = (1 - 1/m)^throws, and
    Var(E) = m(m-1)(1 - 2/m)^throws + m a - m^2 a^2.
    """
    a = (1 - 1 / m) ** throws
    var = m * (m - 1) * (1 - 2 / m) ** throws + m * a - m * m * a * a
    return 1 - a, math.sqrt(var) / m


@settings(derandomize=True, deadline=None, max_examples=25)
@given(
    st.lists(st.one_of(st.text(max_size=8), st.binary(max_size=8)), max_size=30),
    st.integers(1, 400),
    st.integers(1, 8),
)
def test_no_false_negatives(items: list[str | bytes], m: int, k: int) -> None:
    bf = BloomFilter(m, k)
    for item in items:
        bf.add(item)
        bf._check()
    assert all(bf.might_contain(item) for item in items)


def test_fill_ratio_matches_one_minus_e_to_the_minus_kn_over_m() -> None:
    # Each add makes k bit choices, so kn choices in all; the fill ratio's exact sd
    # (``fill_mean_and_sd``) is 0.0037 at k = 3 (18 bits of 5000). 5 sd from the
    # mean has probability under 1e-6 for a roughly normal count; the exact mean
    # 1 - (1 - 1/m)^(kn) and 1 - e^(-kn/m) differ by under 1e-4.
    for k in (1, 3, 10):
        bf, _ = measured_fp(k)
        mean, sd = fill_mean_and_sd(M, k * N)
        assert abs(mean - (1 - math.exp(-k * N / M))) < 1e-4
        assert abs(bf.fill_ratio() - (1 - math.exp(-k * N / M))) <= 5 * sd, k


def test_false_positive_rate_given_the_filter_is_its_fill_ratio_to_the_k() -> None:
    # Given the built filter, each never-added key is an independent trial that
    # is positive when all k of its bits are set: probability q = fill^k for
    # uniform indexes. So the count is binomial(PROBES, q), and 5 sd of it
    # (probability under 1e-6) is the bound. This uses the filter's own fill, not
    # the formula's: filters differ, and at k = 10 the rate moves by
    # k fill^(k-1) sd(fill) = 0.011 between filters, 2.5 binomial sd.
    # It detects a rate off by about 16% of q at k = 3 (5 sd = 0.0145), not less.
    for k in (1, 3, 10):
        bf, positives = measured_fp(k)
        q = bf.fill_ratio() ** k
        assert abs(positives - PROBES * q) <= 5 * math.sqrt(PROBES * q * (1 - q)), k


def test_false_positive_rate_matches_the_formula_within_five_sigma() -> None:
    # Over filters (any key, any members) the measured rate varies for two
    # reasons: binomial noise given the filter, and the filter's own rate fill^k,
    # whose sd is about k f^(k-1) sd(fill) with f = 1 - e^(-kn/m) (delta method).
    # Their variances add; 5 sd of the sum bounds the distance from the formula
    # (f^k). The band is wide at k = 10 (5 sd = 0.06): the test above is the
    # sharp one, this one ties the formula to the measurement.
    for k in (1, 3, 10):
        p = expected_fp_rate(M, N, k)
        _, positives = measured_fp(k)
        f = 1 - math.exp(-k * N / M)
        _, sd_fill = fill_mean_and_sd(M, k * N)
        sd = math.sqrt(p * (1 - p) / PROBES + (k * f ** (k - 1) * sd_fill) ** 2)
        assert abs(positives / PROBES - p) <= 5 * sd, k


def test_double_hashing_steps_cover_the_table() -> None:
    # h2 must range over (nearly) all of [0, m): with a few distinct steps the k
    # probes of different keys cluster on the same arithmetic progressions, and
    # the false-positive rate rises by less than the tests above can see. h2 is
    # odd and m = 5000 even, so the step h2 mod m takes the 2500 odd residues;
    # 2000 keys draw about 2500 (1 - e^(-0.8)) = 1377 distinct ones, with sd 15
    # (the occupancy variance of ``fill_mean_and_sd``), so 1300 is 5 sd below.
    bf = BloomFilter(M, 3)
    steps = set()
    for i in range(2_000):
        first, second, _ = bf.indexes(f"member-{i}")
        steps.add((second - first) % M)
    assert all(step % 2 == 1 for step in steps)
    assert len(steps) > 1_300


def test_optimal_k_is_about_m_over_n_ln2_and_is_the_formulas_minimum() -> None:
    n = 1_000
    # Integer and non-integer m/n: at 2164 bits the rounded optimum (1.4999 -> 1)
    # and the better neighbour (2) differ.
    for m in [b * n for b in range(1, 25)] + [2_079, 2_164, 4_321]:
        rates = {k: expected_fp_rate(m, n, k) for k in range(1, 40)}
        assert optimal_k(m, n) == min(rates, key=rates.__getitem__), m
        assert abs(optimal_k(m, n) - m / n * math.log(2)) < 1


def test_the_optimal_k_wins_on_measured_data_at_five_bits_per_item() -> None:
    assert optimal_k(M, N) == 3
    formula = {k: round(expected_fp_rate(M, N, k), 3) for k in (1, 3, 10)}
    assert formula == {1: 0.181, 3: 0.092, 10: 0.234}
    # The gaps (0.089 and 0.142) are over 10 sd of each difference of measured rates
    # (sd 0.0056 and 0.0124, from the two variances in the test above).
    measured = {k: measured_fp(k)[1] / PROBES for k in (1, 3, 10)}
    assert measured[3] < measured[1]
    assert measured[3] < measured[10]


def test_for_capacity_gives_about_9_6_bits_per_item_at_one_percent() -> None:
    bf = BloomFilter.for_capacity(1_000, 0.01)
    assert (bf.m, bf.k) == (9_586, 7)
    # m assumes the continuous optimum k = 6.64; rounding to 7 costs a little.
    assert round(expected_fp_rate(bf.m, 1_000, bf.k) * 100, 4) == 1.0035
    assert BloomFilter.for_capacity(1_000_000, 0.01).m / 1_000_000 == pytest.approx(9.585, abs=1e-3)


def test_clearing_bits_to_delete_creates_a_false_negative() -> None:
    bf = BloomFilter(64, 3)
    members = [f"m{i}" for i in range(20)]
    for item in members:
        bf.add(item)
    victim = members[0]
    sharing = [x for x in members[1:] if set(bf.indexes(x)) & set(bf.indexes(victim))]
    assert sharing  # 20 items x 3 bits in 64 bits: some share a bit with the victim
    clear_bits_pitfall(bf, victim)
    assert not all(bf.might_contain(x) for x in sharing)


def test_builtin_hash_of_str_differs_between_processes() -> None:
    def hash_in_child(seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        code = "print(hash('bloom'))"
        return subprocess.run(
            [sys.executable, "-S", "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout

    assert hash_in_child("1") != hash_in_child("2")
    assert BloomFilter(1_000, 5).indexes("bloom") == BloomFilter(1_000, 5).indexes("bloom")
    assert BloomFilter(1_000, 5, key=b"other").indexes("bloom") != (
        BloomFilter(1_000, 5).indexes("bloom")
    )


def test_union_is_the_bitwise_or_and_holds_both_sets() -> None:
    a, b = BloomFilter(500, 4), BloomFilter(500, 4)
    for i in range(30):
        a.add(f"a{i}")
        b.add(f"b{i}")
    both = a.union(b)
    both._check()
    assert all(both.might_contain(f"{side}{i}") for side in "ab" for i in range(30))
    assert both.fill_ratio() >= max(a.fill_ratio(), b.fill_ratio())
    for other in (BloomFilter(501, 4), BloomFilter(500, 5), BloomFilter(500, 4, key=b"x")):
        with pytest.raises(ValueError, match="same m, k and key"):
            a.union(other)


def test_bad_arguments_raise_clear_errors() -> None:
    with pytest.raises(ValueError, match="m must be >= 1"):
        BloomFilter(0, 3)
    with pytest.raises(ValueError, match="k must be >= 1"):
        BloomFilter(10, 0)
    with pytest.raises(TypeError, match="m must be an int"):
        BloomFilter(10.0, 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="key must be"):
        BloomFilter(10, 3, key=b"")
    with pytest.raises(ValueError, match=r"p must be in \(0, 1\)"):
        BloomFilter.for_capacity(100, 1.0)
    with pytest.raises(ValueError, match="n must be >= 1"):
        BloomFilter.for_capacity(0, 0.1)
    with pytest.raises(ValueError, match="n must be >= 0"):
        expected_fp_rate(10, -1, 1)
    bf = BloomFilter(10, 2)
    with pytest.raises(TypeError, match="str or bytes"):
        bf.add(42)  # type: ignore[arg-type]
    assert bf.bits == bytearray(2)  # the failed add changed nothing
