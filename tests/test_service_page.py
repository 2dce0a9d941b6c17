"""The upload page in headless Chromium (Debian's package, driven by Playwright)."""
from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.test_service import BAD, DOCX, PDF

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_upload_pdf_see_tables_and_download(server, browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.goto(server.url + "/")
    page.set_input_files("#file", str(PDF))
    expect(page.locator("#result")).to_be_visible(timeout=180_000)
    expect(page.locator("#result-title")).to_contain_text("tables found")
    tables = page.locator("section.table")
    assert tables.count() >= 5
    names = [tables.nth(i).get_attribute("data-resource") for i in range(tables.count())]
    assert "income_expenditure_summary" in names
    first = tables.nth(0)
    expect(first.locator("h3")).not_to_be_empty()
    expect(first.locator("table.preview tbody tr").first).to_be_visible()
    assert first.locator("table.preview th").count() >= 3
    page.screenshot(path=str(Path(os.environ.get("BUDGETPACK_SCREENSHOT", tmp_path / "page.png"))), full_page=True)
    with page.expect_download() as dl:
        page.click("#dl-package")
    data = Path(dl.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        descriptor = json.loads(z.read("datapackage.json"))
    assert set(names) == {r["name"] for r in descriptor["resources"]}
    page.close()


def test_refusal_is_shown_in_plain_words(server, browser) -> None:
    page = browser.new_page()
    page.goto(server.url + "/")
    page.set_input_files("#file", str(BAD / "scanned.pdf"))
    expect(page.locator("#failure")).to_be_visible(timeout=60_000)
    expect(page.locator("#failure-detail")).to_contain_text("no-text-layer")
    expect(page.locator("#result")).to_be_hidden()
    page.close()


def test_page_sends_the_api_key(make_server, browser) -> None:
    s = make_server(BUDGETPACK_API_KEY="k3y")
    page = browser.new_page(accept_downloads=True)
    page.goto(s.url + "/")
    page.fill("#api-key", "k3y")
    page.set_input_files("#file", str(DOCX))
    expect(page.locator("#result")).to_be_visible(timeout=180_000)
    expect(page.locator("table.preview tbody tr").first).to_be_visible()
    with page.expect_download() as dl:
        page.click("#dl-package")
    assert Path(dl.value.path()).read_bytes()[:2] == b"PK"
    page.close()
