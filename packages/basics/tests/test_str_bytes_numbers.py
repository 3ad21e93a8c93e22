"""Tests for basics.str_bytes_numbers: codecs, normalization, rounding, Decimal, // and %."""

from __future__ import annotations

import codecs
import inspect
import io
import locale
import math
import os
import subprocess
import sys
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Decimal,
    FloatOperation,
    getcontext,
    localcontext,
)
from pathlib import Path
from typing import Any

import pytest

from handbook.basics.str_bytes_numbers import (
    CENT,
    MONEY,
    decode_as_latin1,
    same_text,
    split_by_rounding,
    split_evenly,
    to_cents,
    trunc_div,
    trunc_mod,
)

NFC = "caf\u00e9"  # é as one code point
NFD = "cafe\u0301"  # e followed by COMBINING ACUTE ACCENT
# Floats held in names: Decimal(<float literal>) is what is being shown, and linters flag it.
POINT_ONE = 0.1
TWO_675 = 2.675


def test_str_and_bytes_do_not_mix() -> None:
    text: Any = "a"
    with pytest.raises(TypeError, match=r"can only concatenate str"):
        text + b"b"
    assert b"abc"[0] == 97  # an int, not a one-byte bytes
    assert len("é") == 1
    assert len("é".encode()) == 2  # str.encode defaults to UTF-8


def test_a_wrong_strict_codec_raises_unicode_decode_error() -> None:
    data = "café".encode()
    with pytest.raises(UnicodeDecodeError) as info:
        data.decode("ascii")
    assert info.value.start == 3  # the first byte of é's two-byte UTF-8 sequence
    assert info.value.object[info.value.start] == 0xC3
    assert data.decode("utf-8") == "café"


def test_latin1_never_fails_and_produces_mojibake() -> None:
    every_byte = bytes(range(256))
    decoded = decode_as_latin1(every_byte)
    assert len(decoded) == 256
    assert decoded.encode("latin-1") == every_byte  # lossless, whatever the input
    assert decode_as_latin1("café".encode()) == "cafÃ©"  # wrong, silently


def test_nfc_and_nfd_look_alike_but_compare_unequal() -> None:
    assert NFC != NFD
    assert (len(NFC), len(NFD)) == (4, 5)
    assert same_text(NFC, NFD)
    assert not same_text("cafe", NFD)


def test_casefold_matches_case_insensitively_where_lower_does_not() -> None:
    assert "Straße".lower() != "STRASSE".lower()
    assert "Straße".casefold() == "STRASSE".casefold() == "strasse"


def test_open_without_encoding_uses_the_locale_unless_utf8_mode(tmp_path: Path) -> None:
    expected = "utf-8" if sys.flags.utf8_mode else "locale"
    assert io.text_encoding(None) == expected
    with open(tmp_path / "notes.txt", "w") as text_file:  # no encoding= on purpose
        used = codecs.lookup(text_file.encoding).name
    if sys.flags.utf8_mode:
        assert used == "utf-8"
    else:
        assert used == codecs.lookup(locale.getencoding()).name


@pytest.mark.skipif(sys.platform == "win32", reason="PEP 540's C-locale rule is for POSIX")
def test_the_c_locale_switches_utf8_mode_on_by_itself() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHON"))}
    env["LC_ALL"] = "C"
    probe = "import io, sys; print(sys.flags.utf8_mode, io.text_encoding(None))"
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["1", "utf-8"]


def test_len_counts_code_points_not_visible_characters_or_bytes() -> None:
    thumbs_up_medium = "\U0001f44d\U0001f3fd"  # thumbs up + skin-tone modifier: one glyph
    flag_fr = "\U0001f1eb\U0001f1f7"  # two regional indicator letters: one flag
    assert len(thumbs_up_medium) == len(flag_fr) == 2
    assert len(thumbs_up_medium.encode()) == 8  # two 4-byte UTF-8 sequences
    assert len(NFC) == 4
    assert len(NFC.encode()) == 5  # a byte-limited column or header needs this one


def test_decode_error_handlers_trade_loss_for_readability() -> None:
    raw = b"name-\xff.txt"  # not valid UTF-8
    assert raw.decode("utf-8", errors="replace") == "name-\ufffd.txt"  # the byte is gone
    escaped = raw.decode("utf-8", errors="surrogateescape")
    assert escaped == "name-\udcff.txt"
    assert escaped.encode("utf-8", errors="surrogateescape") == raw  # round trip
    assert raw.decode("utf-8", errors="backslashreplace") == "name-\\xff.txt"


def test_str_of_bytes_is_its_repr_not_a_decode() -> None:
    assert str(b"abc") == "b'abc'"
    assert f"token={b'abc'!s}" == "token=b'abc'"
    assert b"abc".decode() == "abc"


def test_nan_is_not_equal_to_itself_but_containers_check_identity_first() -> None:
    nan = math.nan
    assert nan != nan
    assert math.isnan(nan)
    assert nan in [nan]  # `is` is tried before ==
    assert float("nan") not in [nan]  # a different NaN object: only == is left


def test_round_uses_half_to_even() -> None:
    assert round(2.5) == 2
    assert round(0.5) == 0
    assert round(1.5) == 2
    assert round(-2.5) == -2
    # 0.125 and 0.375 are exact in binary: these are true ties, rounded to even.
    assert round(0.125, 2) == 0.12
    assert round(0.375, 2) == 0.38


def test_round_2_675_is_a_representation_effect_not_a_tie() -> None:
    assert round(TWO_675, 2) == 2.67
    assert Decimal(TWO_675) < Decimal("2.675")  # the stored float is just below
    assert str(Decimal(TWO_675)).startswith("2.67499999")


def test_float_sums_are_not_exact() -> None:
    assert 0.1 + 0.2 != 0.3
    assert math.isclose(0.1 + 0.2, 0.3)


def test_isclose_to_zero_needs_an_absolute_tolerance() -> None:
    defaults = inspect.signature(math.isclose).parameters
    assert (defaults["rel_tol"].default, defaults["abs_tol"].default) == (1e-09, 0.0)
    tiny = 0.1 + 0.2 - 0.3  # about 5.6e-17, not 0
    assert tiny != 0
    assert not math.isclose(tiny, 0.0)
    assert math.isclose(tiny, 0.0, abs_tol=1e-12)


def test_decimal_from_float_keeps_the_binary_error_from_a_string_does_not() -> None:
    with localcontext():  # keep the FloatOperation flag out of the thread's context
        assert Decimal(POINT_ONE) != Decimal("0.1")
        assert str(Decimal(POINT_ONE)).startswith("0.1000000000000000055511")
    assert Decimal("0.1") * 3 == Decimal("0.3")
    assert Decimal("0.1") + Decimal("0.2") == Decimal("0.3")


def test_the_money_context_traps_floats() -> None:
    with localcontext(MONEY):
        with pytest.raises(FloatOperation):
            Decimal(POINT_ONE)
        with pytest.raises(FloatOperation):
            _ = Decimal("1") < 0.5
        assert Decimal("0.1") + Decimal("0.2") == Decimal("0.3")
        # What the trap lets through: equality and the explicit conversion.
        assert Decimal("1") == 1.0
        assert Decimal("0.1") != POINT_ONE  # compared exactly, silently
        assert str(Decimal.from_float(POINT_ONE)).startswith("0.1000000000000000055511")
        assert 0.5 in [Decimal("0.5")]
    mixed: Any = Decimal("1")
    with pytest.raises(TypeError, match="unsupported operand"):
        mixed + 1.0  # arithmetic with a float is refused in every context


def test_a_local_context_is_restored_on_exit() -> None:
    before = getcontext().rounding
    with localcontext(MONEY) as ctx:
        assert getcontext() is ctx
        assert ctx.rounding == ROUND_HALF_UP
    assert getcontext().rounding == before == ROUND_HALF_EVEN
    assert MONEY.rounding == ROUND_HALF_UP  # localcontext worked on a copy


def test_precision_is_significant_digits_not_decimal_places() -> None:
    with localcontext(prec=2):
        assert Decimal("123.45") == Decimal("123.45")  # construction is exact
        assert Decimal("123.45") + 0 == Decimal("1.2E+2")  # arithmetic rounds to 2 digits


def test_quantize_rounds_half_away_from_zero_when_told_to() -> None:
    assert to_cents(Decimal("0.125")) == Decimal("0.13")
    assert to_cents(Decimal("-0.125")) == Decimal("-0.13")
    assert to_cents(Decimal("2.675")) == Decimal("2.68")
    with localcontext():  # the default context rounds half to even
        assert Decimal("0.125").quantize(CENT) == Decimal("0.12")
        assert Decimal("0.135").quantize(CENT) == Decimal("0.14")
    assert str(to_cents(Decimal("3"))) == "3.00"


def test_splitting_by_rounding_each_share_loses_a_cent() -> None:
    shares = split_by_rounding(Decimal("100.00"), 3)
    assert sum(shares) == Decimal("99.99")


@pytest.mark.parametrize(
    ("total", "parts"),
    [("100.00", 3), ("0.05", 3), ("10.00", 4), ("-100.00", 3), ("0.00", 2), ("7.01", 7)],
)
def test_split_evenly_always_adds_up_and_differs_by_at_most_a_cent(total: str, parts: int) -> None:
    shares = split_evenly(Decimal(total), parts)
    assert len(shares) == parts
    assert sum(shares) == Decimal(total)
    assert max(shares) - min(shares) <= CENT
    assert all(share == share.quantize(CENT) for share in shares)


def test_split_evenly_hands_out_the_leftover_cents() -> None:
    assert split_evenly(Decimal("100.00"), 3) == [Decimal(x) for x in ("33.34", "33.33", "33.33")]
    assert split_evenly(Decimal("0.05"), 3) == [Decimal(x) for x in ("0.02", "0.02", "0.01")]
    assert sum(split_evenly(Decimal("-100.00"), 3)) == Decimal("-100.00")


def test_split_evenly_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        split_evenly(Decimal("1.00"), 0)
    with pytest.raises(ValueError, match="whole number of cents"):
        split_evenly(Decimal("1.005"), 2)
    for not_finite in ("NaN", "Infinity", "-Infinity", "sNaN"):
        with pytest.raises(ValueError, match="not a finite amount"):
            split_evenly(Decimal(not_finite), 2)


def test_python_floors_where_go_and_c_truncate() -> None:
    assert (-7 // 2, -7 % 2) == (-4, 1)
    assert (trunc_div(-7, 2), trunc_mod(-7, 2)) == (-3, -1)
    assert math.fmod(-7, 2) == -1.0  # C's fmod: the sign of the dividend
    assert (7 // -2, 7 % -2) == (-4, -1)  # % takes the divisor's sign
    assert (trunc_div(7, -2), trunc_mod(7, -2)) == (-3, 1)


@pytest.mark.parametrize("a", [-9, -7, -1, 0, 1, 7, 9, 10**20 + 1, -(10**20) - 1])
@pytest.mark.parametrize("b", [-3, -2, 2, 3])
def test_both_conventions_satisfy_the_division_identity(a: int, b: int) -> None:
    assert (a // b) * b + a % b == a
    assert trunc_div(a, b) * b + trunc_mod(a, b) == a
    assert abs(a % b) < abs(b)
    assert a % b == 0 or (a % b > 0) == (b > 0)  # floor: the divisor's sign
    assert trunc_mod(a, b) == 0 or (trunc_mod(a, b) > 0) == (a > 0)  # truncation: the dividend's
    if abs(a) < 2**53:
        assert trunc_mod(a, b) == math.fmod(a, b)


def test_an_oddness_check_written_for_go_misses_negatives_there_not_here() -> None:
    assert -7 % 2 == 1  # Python: works for negative odd numbers
    assert trunc_mod(-7, 2) == -1  # Go/C: so `n % 2 == 1` is false for -7
    assert [h % 4 for h in (-5, -1, 3)] == [3, 3, 3]  # always a valid bucket index


def test_int_string_conversion_is_capped_since_3_11() -> None:
    assert sys.int_info.default_max_str_digits == 4300
    limit = sys.get_int_max_str_digits()
    assert limit > 0  # 0 would mean no limit (set by -X int_max_str_digits=0)
    with pytest.raises(ValueError, match="Exceeds the limit"):
        int("1" * (limit + 1))
    with pytest.raises(ValueError, match="Exceeds the limit"):
        str(10 ** (limit + 1))
    assert int("1" * limit) > 0  # at the limit it still parses
    big = 10**limit * 10**limit  # the arithmetic itself is not limited
    try:
        sys.set_int_max_str_digits(0)  # 0 lifts the limit
        assert len(str(big)) == 2 * limit + 1
    finally:
        sys.set_int_max_str_digits(limit)


def test_an_int_too_large_for_a_float_raises_overflow_error() -> None:
    with pytest.raises(OverflowError, match="too large to convert to float"):
        float(10**400)


def test_trunc_div_by_zero_raises() -> None:
    with pytest.raises(ZeroDivisionError):
        trunc_div(1, 0)
