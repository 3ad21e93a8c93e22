"""Text and numbers: bytes need a codec, equal-looking text may differ, floats and ints surprise.

Why interviewers ask this:
    Backend code moves bytes across sockets and files, compares user input,
    and adds up money. Each has a classic trap: decoding with the wrong codec,
    ``"caf\\u00e9"`` that is not equal to ``"cafe\\u0301"`` although both
    print as café, ``round(2.5) == 2``, ``0.1 + 0.2 != 0.3``,
    and ``-7 // 2 == -4`` where Go and C say ``-3``. A candidate who knows
    them writes code that does not corrupt data or lose cents.

Common pitfalls:
    - Decoding bytes with a guessed codec. A wrong strict codec raises
      ``UnicodeDecodeError``; latin-1 never raises (each byte is one code
      point) and so turns UTF-8 into mojibake (``'cafÃ©'``) without any error.
      Text files: pass ``encoding=`` to ``open``; without it 3.11-3.13 use the
      locale's encoding (``io.text_encoding(None) == "locale"``) unless UTF-8
      mode is on: ``-X utf8``, ``PYTHONUTF8=1``, or automatically when the
      locale is C or POSIX (PEP 540), as in a container image with no
      ``LANG`` set. So the same service can read a file differently on a
      laptop and in a container. ``-X warn_default_encoding`` (PEP 597) warns
      about every ``open`` without ``encoding=``; PEP 686 makes UTF-8 mode the
      default in 3.15.
    - Comparing Unicode text without normalizing: ``"caf\\u00e9"`` (NFC, one
      code point) and ``"cafe\\u0301"`` (NFD, e + combining accent) render the
      same and compare unequal; their lengths are 4 and 5.
    - Expecting ``round`` to round halves up: it rounds half to even
      ("banker's rounding"), so ``round(2.5) == 2`` and ``round(0.5) == 0``.
      And ``round(2.675, 2) == 2.67`` for another reason: the float nearest
      2.675 is slightly below it.
    - ``==`` on floats (``0.1 + 0.2 != 0.3``), and ``math.isclose(x, 0)``
      expecting it to be true for tiny ``x``: the default tolerance is only
      relative (``rel_tol=1e-09``, ``abs_tol=0.0``), so nothing but 0 is close
      to 0 unless you pass ``abs_tol``. And ``nan != nan``: test with
      ``math.isnan``, although ``nan in [nan]`` is true because containers
      check identity before ``==``.
    - ``Decimal(0.1)`` converts the float exactly, inheriting its error; build
      from a string. Context ``prec`` is significant digits, not decimal
      places: with ``prec=2``, ``Decimal("123.45") + 0`` is ``1.2E+2``.
    - Splitting money by dividing and rounding each share: 100.00 / 3 rounded
      to cents three times sums to 99.99. Allocate the remainder.
    - Porting integer code between Python and Go/C/Java: ``%`` of a negative
      number differs in sign, so ``n % 2 == 1`` misses negative odd numbers in
      Go but not in Python.

Key takeaways:
    - ``str`` is a sequence of code points, ``bytes`` a sequence of ints 0-255;
      they never mix implicitly (``"a" + b"b"`` is a ``TypeError``), and
      ``b"abc"[0] == 97``. Decode at the edges, work in ``str``, encode on
      the way out.
    - Normalize (``unicodedata.normalize("NFC", s)``) before comparing or
      using text as a key; ``casefold()`` as well for case-insensitive matches.
    - ``round`` uses round-half-even on the exact binary value. Go's
      ``math.Round`` rounds half away from zero (``math.RoundToEven`` is
      Python's), Java's ``Math.round`` rounds half up towards positive infinity.
    - Floats: compare with ``math.isclose`` (and an ``abs_tol`` near zero).
      Money: ``Decimal`` from strings (or integer cents), quantize with an
      explicit rounding (``ROUND_HALF_UP`` is half away from zero), and an
      explicit context (``localcontext``) that traps ``FloatOperation``, so
      ``Decimal(0.1)`` and ``Decimal < float`` raise. The trap is not a wall:
      ``==`` with a float and ``Decimal.from_float`` stay silent (``Decimal +
      float`` is a ``TypeError`` in any context).
    - ``//`` floors and ``%`` takes the divisor's sign, so
      ``(a // b) * b + a % b == a`` and ``0 <= a % b < b`` for ``b > 0``:
      ``-7 // 2 == -4``, ``-7 % 2 == 1``. Go, C and Java truncate toward zero:
      ``-7 / 2 == -3``, ``-7 % 2 == -1``; ``math.fmod`` behaves like C.
      Python ints never overflow (Go's ``int`` is 64-bit on 64-bit platforms
      and wraps around), but since 3.11 ``int(text)`` and ``str(n)`` refuse
      more than 4300 decimal digits (``ValueError``; a guard against
      quadratic-time parsing, CVE-2020-10735; ``sys.set_int_max_str_digits``
      changes it), which matters when parsing JSON or query strings, and
      ``float(10**400)`` raises ``OverflowError``.

What to look for in an answer:
    The candidate names the codec, explains mojibake as a decode with the
    wrong codec (not a "corrupt string"), normalizes before comparing, knows
    round-half-even and the binary-representation cause separately, never
    uses floats for money and can split an amount without losing a cent.
    Follow-ups:
    - How do you store money in a database? (``NUMERIC(precision, scale)`` or
      integer minor units plus a currency code; never ``FLOAT``.)
    - Why is ``round`` half-even by default? (It is unbiased: over many
      values, halves round up and down equally often, so sums do not drift.)
    - How do you bucket a possibly negative hash into ``n`` shards in Go?
      (``((h % n) + n) % n``, or use an unsigned hash; Python's
      ``h % n`` is already in ``[0, n)``.)
    - A column is ``VARCHAR(10)`` and a header has a byte limit: is ``len(s)``
      the right check? (``len`` counts code points, not what a user sees as
      characters: ``"\\U0001F44D\\U0001F3FD"`` (thumbs up, skin tone) and
      a flag are each 2. Limits in bytes need ``len(s.encode())``.)
    - How do you decode bytes you cannot trust? (``errors="replace"`` puts
      U+FFFD for bad bytes and loses them; ``"surrogateescape"`` maps each to
      a lone surrogate, and encoding with the same handler gives the bytes
      back, which is how ``os`` handles file names; ``"backslashreplace"``
      is readable and lossless for logs. Never ``str(b)``: ``str(b"abc")`` is
      ``"b'abc'"``, a bug that ends up in headers and logs.)
"""

from __future__ import annotations

import unicodedata
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    FloatOperation,
    InvalidOperation,
    Overflow,
)

__all__ = [
    "CENT",
    "MONEY",
    "decode_as_latin1",
    "same_text",
    "split_by_rounding",
    "split_evenly",
    "to_cents",
    "trunc_div",
    "trunc_mod",
]

CENT = Decimal("0.01")

# Money arithmetic: the default traps plus FloatOperation, which turns Decimal(0.1)
# and Decimal-float ordering comparisons into errors inside this context.
MONEY = Context(
    prec=28,
    rounding=ROUND_HALF_UP,
    traps=[FloatOperation, InvalidOperation, DivisionByZero, Overflow],
)


def decode_as_latin1(data: bytes) -> str:
    """Decode with latin-1: it never fails, so a wrong guess gives mojibake, not an error.

    >>> decode_as_latin1("café".encode("utf-8"))
    'cafÃ©'
    >>> "café".encode("utf-8").decode("ascii")
    Traceback (most recent call last):
    ...
    UnicodeDecodeError: 'ascii' codec can't decode byte 0xc3 in position 3: ordinal ...
    """
    return data.decode("latin-1")


def same_text(a: str, b: str) -> bool:
    """Compare text as a reader would: after NFC normalization.

    >>> "caf\\u00e9" == "cafe\\u0301", same_text("caf\\u00e9", "cafe\\u0301")
    (False, True)
    """
    return unicodedata.normalize("NFC", a) == unicodedata.normalize("NFC", b)  # break[no-normalize]


def to_cents(amount: Decimal) -> Decimal:
    """Round to cents, halves away from zero, whatever rounding the current context has.

    >>> to_cents(Decimal("2.675")), to_cents(Decimal("0.125")), to_cents(Decimal("-0.125"))
    (Decimal('2.68'), Decimal('0.13'), Decimal('-0.13'))
    """
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)  # break[half-even-money]


def split_by_rounding(total: Decimal, parts: int) -> list[Decimal]:
    """Pitfall: divide, round each share; the shares need not add up to ``total``.

    >>> split_by_rounding(Decimal("100.00"), 3)
    [Decimal('33.33'), Decimal('33.33'), Decimal('33.33')]
    """
    share = to_cents(total / parts)
    return [share] * parts


def split_evenly(total: Decimal, parts: int) -> list[Decimal]:
    """Fix: work in whole cents and hand the leftover cents to the first shares.

    Shares differ by at most one cent and always sum to ``total``; raises
    ``ValueError`` if ``parts < 1``, ``total`` is not finite (NaN,
    Infinity) or has fractions of a cent.

    >>> split_evenly(Decimal("100.00"), 3)
    [Decimal('33.34'), Decimal('33.33'), Decimal('33.33')]
    """
    if parts < 1:
        raise ValueError(f"parts must be at least 1, got {parts}")
    if not total.is_finite():  # quantize would raise InvalidOperation on Infinity
        raise ValueError(f"{total} is not a finite amount")
    if total != total.quantize(CENT):
        raise ValueError(f"{total} is not a whole number of cents")
    cents = int(total.scaleb(2))
    base, leftover = divmod(cents, parts)  # break[split-loses-a-cent]
    return [Decimal(base + (1 if i < leftover else 0)) * CENT for i in range(parts)]


def trunc_div(a: int, b: int) -> int:
    """Integer division as Go, C and Java do it: the quotient truncated toward zero.

    >>> trunc_div(-7, 2), -7 // 2
    (-3, -4)
    """
    if b == 0:
        raise ZeroDivisionError("integer division by zero")
    quotient = abs(a) // abs(b)
    return quotient if (a < 0) == (b < 0) else -quotient


def trunc_mod(a: int, b: int) -> int:
    """The remainder that goes with ``trunc_div``: it takes the sign of ``a``.

    >>> trunc_mod(-7, 2), -7 % 2
    (-1, 1)
    """
    return a - b * trunc_div(a, b)
