"""Several printed documents as one PDF: every manifest, or every picking list, of a plan, so the
officer prints the lot with one click. Each document keeps its own page numbers and QR code."""

import io

from pypdf import PdfWriter

from .data import manifest_from_transfer, picking_from_transfer
from .manifest import render_manifest
from .picking import render_picking_list
from .queries import issuable_batches


def joined(pdfs: list[bytes]) -> bytes:
    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(io.BytesIO(pdf))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def manifests(transfers, lang: str) -> bytes:
    return joined([render_manifest(manifest_from_transfer(t), lang) for t in transfers])


def picking_lists(transfers, lang: str) -> bytes:
    return joined(
        [render_picking_list(picking_from_transfer(t, issuable_batches(t)), lang) for t in transfers]
    )
