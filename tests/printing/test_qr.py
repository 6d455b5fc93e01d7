"""QR symbols: our mask choice (all eight scored at once) gives symbols any decoder reads, for every
version our payloads can reach, version information included (7 and up)."""

import numpy as np
import pytest
from PIL import Image

from relief_stock.printing import qr
from tests.printing.conftest import decode
from tests.printing.printers import qr_image


@pytest.mark.parametrize("length", [10, 51, 90, 160, 300])
def test_every_symbol_decodes_to_its_payload(length):
    for index in range(12):
        payload = f"https://relief.example.org/b/{index:04d}-" + "X" * (length - 34)
        symbol = qr.matrix(payload)
        image = qr_image(payload, 4)
        canvas = Image.new("L", (image.width + 32, image.height + 32), 255)
        canvas.paste(image, (16, 16))
        assert [result.text for result in decode(canvas)] == [payload], (len(symbol), index)


def symbol_image(symbol, cell: int = 4) -> Image.Image:
    rows = np.array(symbol, dtype=bool)
    image = Image.fromarray(np.where(rows, 0, 255).astype(np.uint8)).resize(
        (rows.shape[1] * cell, rows.shape[0] * cell), Image.Resampling.NEAREST
    )
    canvas = Image.new("L", (image.width + 8 * cell, image.height + 8 * cell), 255)
    canvas.paste(image, (4 * cell, 4 * cell))
    return canvas


@pytest.mark.parametrize("payload", ["https://relief.example.org/b/B-330100-2026-000001-7", "R" * 200])
def test_all_eight_masks_are_valid_and_the_lowest_penalty_wins(payload):
    symbols = qr.candidates(payload)
    assert len(symbols) == 8 and len({symbol.tobytes() for symbol in symbols}) == 8
    for symbol in symbols:  # format bits and masking right for each: every one decodes
        assert [result.text for result in decode(symbol_image(symbol))] == [payload]
    scores = qr.penalties(symbols)
    assert np.array_equal(np.array(qr.matrix(payload)), symbols[int(np.argmin(scores))])


@pytest.mark.parametrize(
    "payload", ["https://relief.example.org/b/B-330100-2026-000001-7", "R" * 200, "短" * 40]
)
def test_each_candidate_is_qrcodes_own_symbol_for_that_mask(payload):
    """Our placement of the codewords and format bits is qrcode's, module for module."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    for pattern, symbol in enumerate(qr.candidates(payload)):
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=pattern)
        code.add_data(payload)
        code.make(fit=True)
        assert np.array_equal(symbol, np.array(code.get_matrix(), dtype=bool)), pattern
