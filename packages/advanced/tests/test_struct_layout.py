"""Tests for advanced.struct_layout: padding, trailing padding, order, byte order, boxing."""

from __future__ import annotations

import array
import ctypes
import itertools
import socket
import struct
import sys

import pytest

from handbook.advanced.struct_layout import (
    C_TYPES,
    best_order,
    c_format,
    float_storage_bytes,
    make_structure,
    native_offsets,
    pack_header,
    pack_header_native,
)

ORDERINGS = ["bid", "dbi", "bdi", "dib", "id", "di", "bhiq", "qihb", "?d?", "d??", "hP", "lb"]


def std_size(codes: str) -> int:
    """The fields back to back, with their standard sizes: no padding at all."""
    return struct.calcsize("=" + codes)


def test_native_struct_pads_between_fields_by_ctypes_alignment() -> None:
    for codes in ORDERINGS:
        offsets, end = native_offsets(codes)
        assert struct.calcsize("@" + codes) == struct.calcsize(codes) == end, codes  # '@' default
        layout = make_structure(codes)
        assert offsets == [getattr(layout, f"f{i}").offset for i in range(len(codes))], codes


def test_padding_depends_on_alignment_not_a_hard_coded_width() -> None:
    # Derived, not assumed: on x86-64 Linux double aligns to 8 and int to 4.
    d, i = ctypes.alignment(ctypes.c_double), ctypes.alignment(ctypes.c_int)
    int_end = ctypes.sizeof(ctypes.c_int)
    assert struct.calcsize("@id") == -(-int_end // d) * d + ctypes.sizeof(ctypes.c_double)
    assert struct.calcsize("@bi") == i + ctypes.sizeof(ctypes.c_int)


@pytest.mark.parametrize("prefix", ["=", "<", ">", "!"])
def test_standard_modes_never_pad(prefix: str) -> None:
    for codes in ORDERINGS:
        if "P" in codes:
            with pytest.raises(struct.error):  # 'P' (and 'n', 'N') exist only in native mode
                struct.calcsize(prefix + codes)
            continue
        assert struct.calcsize(prefix + codes) == sum(struct.calcsize(prefix + c) for c in codes)


def test_native_long_is_a_c_long_and_standard_long_is_four_bytes() -> None:
    assert struct.calcsize("@l") == ctypes.sizeof(ctypes.c_long)  # 8 on x86-64 Linux
    assert struct.calcsize("=l") == struct.calcsize("!l") == 4
    assert struct.calcsize("=q") == 8


def test_native_struct_adds_no_trailing_padding_but_a_c_struct_does() -> None:
    assert struct.calcsize("@di") == native_offsets("di")[1]  # ends right after the int
    c_size = ctypes.sizeof(make_structure("di"))
    align = ctypes.alignment(ctypes.c_double)
    assert c_size % align == 0
    assert c_size > struct.calcsize("@di")  # 16 > 12 on x86-64 Linux


def test_a_zero_count_widest_code_gives_the_c_struct_size() -> None:
    for codes in ORDERINGS:
        layout = make_structure(codes)
        assert struct.calcsize(c_format(codes)) == ctypes.sizeof(layout), codes
        assert ctypes.sizeof(layout) % ctypes.alignment(layout) == 0, codes


def test_field_order_changes_the_size() -> None:
    assert struct.calcsize("@bdi") > struct.calcsize("@dib")  # 20 > 13 on x86-64 Linux
    assert ctypes.sizeof(make_structure("bdi")) > ctypes.sizeof(make_structure("dib"))
    assert std_size("bdi") == std_size("dib")  # the same 13 bytes of data


def test_decreasing_alignment_leaves_no_gaps_and_the_smallest_struct() -> None:
    for codes in ["bdi", "?hqid", "bP?lh", "ihbd"]:
        best = best_order(codes)
        assert sorted(best) == sorted(codes)
        no_padding = sum(ctypes.sizeof(C_TYPES[c]) for c in codes)
        assert struct.calcsize("@" + best) == no_padding, codes
        perms = {"".join(p) for p in itertools.permutations(codes)}
        smallest = min(ctypes.sizeof(make_structure(p)) for p in perms)
        assert ctypes.sizeof(make_structure(best)) == smallest, codes


def test_pack_1_removes_the_padding_from_a_ctypes_structure() -> None:
    packed = make_structure("bdi", pack=1)  # warnings are errors: 3.14 warns without _layout_
    assert getattr(packed, "_layout_", None) == "ms"  # what 3.14+ requires next to _pack_
    assert ctypes.sizeof(packed) == sum(ctypes.sizeof(C_TYPES[c]) for c in "bdi")
    assert ctypes.sizeof(packed) == std_size("bdi")  # native c_int/c_double are 4/8 here
    assert packed.f1.offset == 1  # the double right after the byte, unaligned
    value = packed(1, 2.5, 3)
    assert bytes(value) == struct.pack("=bdi", 1, 2.5, 3)  # = native order, no padding


def test_network_order_is_big_endian() -> None:
    assert struct.pack("!H", 0x1234) == b"\x12\x34"
    assert struct.pack("!I", 1) == struct.pack(">I", 1) == b"\x00\x00\x00\x01"
    swapped = struct.unpack("=H", struct.pack("!H", 0x1234))[0]
    assert swapped == socket.htons(0x1234)
    assert (swapped == 0x1234) == (sys.byteorder == "big")


def test_the_wire_header_is_seven_big_endian_bytes_and_round_trips() -> None:
    wire = pack_header(1, 0x80, 258)
    assert len(wire) == 7
    assert wire == (1).to_bytes(2, "big") + b"\x80" + (258).to_bytes(4, "big")
    assert struct.unpack("!HBI", wire) == (1, 0x80, 258)


def test_the_native_header_has_a_pad_byte_and_host_byte_order() -> None:
    native = pack_header_native(1, 0x80, 258)
    offsets, end = native_offsets("HBI")
    assert len(native) == struct.calcsize("@HBI") == end
    assert len(native) > len(pack_header(1, 0x80, 258))  # 8 > 7 on x86-64 Linux
    int_at = offsets[2]
    assert native[int_at:] == (258).to_bytes(ctypes.sizeof(ctypes.c_uint), sys.byteorder)
    flags_end = offsets[1] + struct.calcsize("@B")
    assert int_at > flags_end  # there is a gap
    assert native[flags_end:int_at] == b"\x00" * (int_at - flags_end)  # pad byte(s), zeroed


def test_a_list_of_floats_costs_four_times_an_array_of_doubles() -> None:
    n = 10_000
    as_list, as_array = float_storage_bytes(n)
    pointer, boxed = struct.calcsize("P"), sys.getsizeof(0.0)  # 8 and 24 on x86-64
    item = array.array("d").itemsize
    assert item == ctypes.sizeof(ctypes.c_double)
    # An array built from a list is sized exactly: the raw doubles plus a header
    # (measured 1.0014 * n * item at n = 10 000 on 3.11-3.13).
    assert n * item <= as_array < n * item * 1.01
    # A list holds a pointer per element to its own float object. Measured 1.0085 at
    # n = 10 000 on 3.11-3.13, the excess being list over-allocation (tracemalloc counts
    # requested bytes, so obmalloc's 24 -> 32 rounding is not seen). The lower bound is
    # why n is large: the float free list (up to 100 recycled floats) hides allocations
    # from tracemalloc, so the ratio is 0.950 at n = 1 000.
    assert (pointer + boxed) * n * 0.99 < as_list < (pointer + boxed) * n * 1.05
    assert as_list / as_array > 3.5  # (8 + 24) / 8 = 4


def test_getsizeof_a_list_counts_only_its_pointers() -> None:
    n = 10_000
    floats: list[float] = [0.0] * n  # exactly n slots: no over-allocation to allow for
    for i in range(n):
        floats[i] = float(i)  # distinct objects
    doubles = array.array("d", floats)
    pointer, item = struct.calcsize("P"), doubles.itemsize
    # getsizeof does not follow references: header + one pointer per slot, no floats.
    assert sys.getsizeof(floats) - sys.getsizeof([]) == n * pointer
    assert sys.getsizeof(doubles) - sys.getsizeof(array.array("d")) == n * item
    # On a 64-bit build both are 8 bytes per element, though the list really holds
    # n float objects more.
    assert sum(map(sys.getsizeof, floats)) == n * sys.getsizeof(0.0)


FUNCS = (native_offsets, c_format, best_order, make_structure)


@pytest.mark.parametrize("bad", ["x", "2i", "@i", "is"])
def test_unknown_codes_and_repeat_counts_raise_a_clear_value_error(bad: str) -> None:
    for func in FUNCS:
        with pytest.raises((ValueError, LookupError)) as info:  # LookupError: a bare KeyError
            func(bad)
        assert info.type is ValueError, f"{func.__name__}: {info.value!r}"
        assert "unsupported code" in str(info.value), func.__name__
        assert "per field" in str(info.value)  # the message says what is supported


def test_no_codes_raise_a_clear_value_error() -> None:
    for func in FUNCS:
        with pytest.raises(ValueError, match="at least one field"):
            func("")
