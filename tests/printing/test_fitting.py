"""What a keeper must read is never cut: item names (every catalogue item, both languages), codes,
quantities, expiry, status and locations fit their box on every layout, by more lines or smaller
type; lines never start with closing punctuation nor break inside a donor's name; expiry is the
largest text after the code; expired, quarantined and written-off batches carry an inverse banner."""

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from flask_babel import force_locale
from reportlab.lib.units import mm

from relief_stock.printing.data import BatchLabel, LocationLabel, batch_banner
from relief_stock.printing.fonts import CLOSING, face, fit
from relief_stock.printing.labels import INVERSE_PAD, render_labels
from relief_stock.printing.layouts import layouts
from relief_stock.printing.thermal import text_bitmap
from relief_stock.scanning import codes
from relief_stock.stock.kinds import BatchStatus
from tests.printing.conftest import BASE, DEPOT, catalogue_items, flat, page_texts, sample_labels

BATCH = [pytest.param(layout, id=layout.name) for layout in layouts("batch")]
LOCATION = [pytest.param(layout, id=layout.name) for layout in layouts("location")]
NEVER_CUT = ("code", "item_zh", "item_en", "quantity", "expiry", "status", "location", "donor", "origin")
DONORS = ("浙商爱心联盟", "浙江省慈善联合总会（阿里巴巴公益基金会定向捐赠）")


def fitted(layout, fields: dict[str, str]) -> dict:
    found = {}
    for box in layout.texts:
        text = fields.get(box.field, "")
        if text:
            inner = box.width_mm * mm - (2 * INVERSE_PAD if box.inverse else 0)
            found[box.field] = fit(
                text, face(box.bold), inner, box.height_mm * mm, box.size_max, box.size_min, box.lines
            )
    return found


def every_label():
    base = sample_labels(1)[0]
    for index, item in enumerate(catalogue_items()):
        yield replace(
            base,
            item=item,
            quantity=123_456,
            donor=DONORS[index % 2],
            banner=list(BatchStatus)[1 + index % 3],
            location="QUARANTINE-ZONE-B-01",
        )


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("layout", BATCH)
def test_batch_labels_never_cut_what_a_keeper_reads(ctx, layout, lang):
    with force_locale(lang):
        for label in every_label():
            for field, result in fitted(layout, label.fields(lang)).items():
                assert not (field in NEVER_CUT and result.cut), (field, result.lines)
                assert not any(line[:1] in CLOSING for line in result.lines), (field, result.lines)


@pytest.mark.parametrize("layout", LOCATION)
def test_location_labels_never_cut_long_codes(ctx, layout):
    for local in ("A-01-03", "QUARANTINE-ZONE-B-01", "QUARANTINE-AREA-B-SHELF-12-LEV-3"):  # up to 32
        code = codes.location_code("330100", local)
        label = LocationLabel(code, f"{BASE}/l/{code}", local, "王喆、李玥捐赠物资暂存区（堃鑫公司）", DEPOT)
        for field, result in fitted(layout, label.fields("zh")).items():
            assert not (field in NEVER_CUT and result.cut), (field, result.lines)
        text = flat("".join(page_texts(render_labels(layout, [label]))))
        assert local in text and code in text


@pytest.mark.parametrize("layout", BATCH)
def test_a_donor_name_breaks_only_before_its_bracket(ctx, layout):
    for donor in DONORS:
        label = replace(sample_labels(1)[0], donor=donor)
        for field, result in fitted(layout, label.fields("zh")).items():
            if field in ("donor", "origin", "meta") and len(result.lines) > 1:
                for line in result.lines[1:]:
                    previous = result.lines[result.lines.index(line) - 1]
                    joint = previous[-1:] + line[:1]
                    # A break inside the name would leave two of its characters on either side.
                    assert joint not in donor or line.startswith("（"), (field, result.lines)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("layout", BATCH)
def test_expiry_is_the_largest_text_after_the_code(ctx, layout, lang):
    with force_locale(lang):
        for label in every_label():
            sizes = {field: result.size for field, result in fitted(layout, label.fields(lang)).items()}
            others = {field: size for field, size in sizes.items() if field not in ("code", "expiry")}
            assert sizes["expiry"] >= max(others.values()), (sizes, label.item.sku)
            assert sizes["code"] >= sizes["expiry"]


def test_banner_for_batches_that_must_not_be_issued():
    today = date(2026, 12, 1)
    assert batch_banner(BatchStatus.AVAILABLE, today, today) is None
    assert batch_banner(BatchStatus.AVAILABLE, None, today) is None
    assert batch_banner(BatchStatus.AVAILABLE, today - timedelta(days=1), today) is BatchStatus.EXPIRED
    for status in (BatchStatus.QUARANTINED, BatchStatus.EXPIRED, BatchStatus.WRITTEN_OFF):
        assert batch_banner(status, today + timedelta(days=99), today) is status


@pytest.mark.parametrize("layout", BATCH)
def test_banner_prints_white_on_black(ctx, layout):
    label = sample_labels(1)[0]
    banners = {
        BatchStatus.EXPIRED: "已过期",
        BatchStatus.QUARANTINED: "隔离",
        BatchStatus.WRITTEN_OFF: "已报废",
    }
    box = next(b for b in layout.texts if b.field == "status")
    assert box.inverse
    for status, word in banners.items():
        marked = BatchLabel(**{**label.__dict__, "banner": status})
        assert word in flat(page_texts(render_labels(layout, [marked]))[0])
        picture = np.array(text_bitmap(box, marked.fields("zh")["status"], 203).image.convert("L")) < 128
        assert picture[:, :5].all()  # the banner's black edge, before the word knocked out in white
    assert text_bitmap(box, label.fields("zh")["status"], 203) is None  # a good batch: no banner
