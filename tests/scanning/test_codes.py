"""Printed codes: format, check character, parse (codes and label URLs), sequences."""

import pytest
from flask_babel import force_locale

from relief_stock.database import atomic
from relief_stock.errors import BadInput
from relief_stock.scanning import codes

BATCH = codes.format_sequenced(codes.BATCH, "330100", 2026, 123)


def mutations(code):
    """Every single-character substitution and adjacent transposition of the code's alphanumerics."""
    positions = [i for i, ch in enumerate(code) if ch != "-"]
    for i in positions:
        for ch in codes.ALPHABET:
            if ch != code[i]:
                yield code[:i] + ch + code[i + 1 :]
    for a, b in zip(positions, positions[1:]):
        if code[a] != code[b]:
            swapped = list(code)
            swapped[a], swapped[b] = swapped[b], swapped[a]
            yield "".join(swapped)


def test_batch_code_shape():
    assert BATCH.startswith("B-330100-2026-000123-") and len(BATCH) == 22
    assert codes.parse(BATCH) == codes.ParsedCode("batch", BATCH, "330100", 2026, 123)


@pytest.mark.parametrize(
    "code",
    [
        BATCH,
        codes.location_code("330102", "A-01-03"),
        codes.format_sequenced(codes.TRANSFER, "330000", 2027, 9),
    ],
)
def test_every_single_typo_and_adjacent_swap_is_refused(code):
    refused = 0
    for typo in mutations(code):
        with pytest.raises(BadInput):
            codes.parse(typo)
        refused += 1
    assert refused > 300


def test_parse_tolerates_case_whitespace_and_label_urls(app):
    assert codes.parse(f"  {BATCH.lower()} ").code == BATCH
    assert codes.parse(BATCH[:10] + " " + BATCH[10:]).code == BATCH
    url = codes.url_for_code(BATCH)
    assert url == f"https://relief.example.org/b/{BATCH}"
    assert codes.parse(url).code == BATCH
    loc = codes.location_code("330102", "a-01")
    assert codes.parse(f"https://relief.example.org/l/{loc}").location_code == "A-01"


@pytest.mark.parametrize(
    "raw, message",
    [
        ("", "Enter or scan a code"),
        ("X-330100-2026-000123-K", "Unknown code type"),
        ("B-330100-2026-12-K", "not a well-formed code"),
        (BATCH[:-1] + ("0" if BATCH[-1] != "0" else "1"), "Check character does not match"),
        (f"https://relief.example.org/t/{BATCH}", "does not match the code"),
        ("https://example.org/login", "not at this server"),
        ("https://relief.example.org/login", "not one of our labels"),
    ],
)
def test_errors_name_the_problem(app, raw, message):
    with force_locale("en"), pytest.raises(BadInput) as refused:
        codes.parse(raw)
    assert message in refused.value.message and refused.value.field == "code"


def test_sequences_count_per_series(app):
    with atomic():
        first = [codes.next_code(codes.BATCH, "330102") for _ in range(3)]
        other = codes.next_code(codes.RECEIPT, "330102")
    assert [codes.parse(c).sequence for c in first] == [1, 2, 3]
    assert codes.parse(other).sequence == 1
