"""Camera scanning in the field app: Chromium's fake camera plays a printed batch label (the real
thermal label PDF, rasterised) and the app resolves the right batch, with the shipped zxing-wasm
decoder (no BarcodeDetector) and through the page's BarcodeDetector path, both with no network
(the app and the decoder come from the service worker's cache).

Chromium on Linux has no native QR BarcodeDetector, so the native path is driven by a stand-in
installed before the page loads: it answers the BarcodeDetector interface (getSupportedFormats,
detect(video) -> [{rawValue}]) by decoding the frame with the same vendored library. What this proves
is the page's wiring of that path (feature detection, frames in, rawValue out), not Chrome's detector.
"""

import subprocess

import pytest
from PIL import Image

from tests.e2e.conftest import CHROMIUM_ARGS, sign_in, wait_until
from tests.e2e.test_field_app import DEPOT, shelved_batches
from tests.e2e.test_keeper_flow import PHONE

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 640, 480

NO_NATIVE = "delete window.BarcodeDetector;"
STAND_IN_NATIVE = """
window.BarcodeDetector = class {
  static getSupportedFormats() { return Promise.resolve(["qr_code"]); }
  constructor(options) { this.formats = options && options.formats; window.__nativeUsed = true; }
  detect(video) {
    if (!window.__standInReady) {  // the decoder's wasm from the app, never from a CDN
      const wasm = document.querySelector("script[data-wasm]").dataset.wasm;
      window.ZXingWASM.prepareZXingModule({
        overrides: { locateFile: (file, prefix) => file.endsWith(".wasm") ? wasm : prefix + file },
      });
      window.__standInReady = true;
    }
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth; canvas.height = video.videoHeight;
    if (!canvas.width) return Promise.resolve([]);
    const context = canvas.getContext("2d");
    context.drawImage(video, 0, 0);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    return window.ZXingWASM.readBarcodes(image, { formats: ["QRCode"] })
      .then(found => found.filter(r => r.isValid).map(r => ({ rawValue: r.text, format: "qr_code" })));
  }
};
"""


def label_video(pdf: bytes, path) -> None:
    """Rasterise the label PDF (poppler) onto a camera frame and write it as a Y4M clip."""
    source = path.with_suffix(".pdf")
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(source), str(path.with_suffix(""))],
        capture_output=True,
        check=True,
    )
    label = Image.open(path.with_suffix(".png")).convert("RGB")
    label.thumbnail((WIDTH - 40, HEIGHT - 40))
    frame = Image.new("RGB", (WIDTH, HEIGHT), (200, 200, 200))
    frame.paste(label, ((WIDTH - label.width) // 2, (HEIGHT - label.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    cb, cr = (c.resize((WIDTH // 2, HEIGHT // 2)) for c in (cb, cr))
    one = b"FRAME\n" + y.tobytes() + cb.tobytes() + cr.tobytes()
    path.write_bytes(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode() + one * 10)


@pytest.fixture(scope="module")
def label_clip(browser, live_server, tmp_path_factory):
    """(batch code, path of a Y4M clip showing its printed thermal label)."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "sc-keeper", "keeper-demo")
    ((code, _quantity, batch_id),) = shelved_batches(live_server, 1)
    response = page.request.get(f"/print/labels/batches?batch_ids={batch_id}&layout=thermal-60x40")
    assert response.ok and response.headers["content-type"].startswith("application/pdf"), response.status
    pdf = response.body()
    context.close()
    path = tmp_path_factory.mktemp("camera") / "label.y4m"
    label_video(pdf, path)
    return code, path


@pytest.fixture
def camera_browser(browser, label_clip):
    fake = browser.browser_type.launch(
        executable_path=_chromium(),
        args=CHROMIUM_ARGS
        + [
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={label_clip[1]}",
        ],
    )
    yield fake
    fake.close()


def _chromium():
    import os
    import shutil

    from tests.e2e.conftest import CHROMIUM

    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


@pytest.mark.parametrize(("init_script", "decoder"), [(NO_NATIVE, "zxing-wasm"), (STAND_IN_NATIVE, "native")])
def test_camera_resolves_the_printed_batch(camera_browser, live_server, label_clip, init_script, decoder):
    code, _clip = label_clip
    context = camera_browser.new_context(base_url=live_server.url, **PHONE)
    context.grant_permissions(["camera"])
    context.add_init_script(init_script)
    page = context.new_page()
    try:
        sign_in(page, "sc-keeper", "keeper-demo")
        page.goto("/field/")
        wait_until(page, "document.getElementById('field').dataset.ready === '1'")
        expect(page.locator("#data-age")).to_contain_text("数据")
        # The decoder and the app come from the phone's cache: scanning works with no network.
        wait_until(page, "navigator.serviceWorker.controller !== null", timeout=20000)
        context.set_offline(True)
        page.reload()
        wait_until(page, "document.getElementById('field').dataset.ready === '1'")
        page.click("#field-camera")
        expect(page.locator("#batch-card")).to_be_visible(timeout=30000)
        assert page.locator("#batch-card").get_attribute("data-code") == code
        assert page.locator("#field-video").get_attribute("data-decoder") == decoder
        assert DEPOT in code
    finally:
        context.close()
