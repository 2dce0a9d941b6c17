"""The upload page in headless Chromium (Debian's package, driven by Playwright).

Chinese by default, English by Accept-Language or the page's switch; the Chinese text
must really render: distinct characters must draw distinct glyphs (missing glyphs all
draw the same box), which a Chromium without a CJK font is shown to fail. Screenshots
are kept in tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.test_service import BAD, DOCX, PDF

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SHANGHAI_2023 = Path(__file__).resolve().parent / "fixtures/real/sh_putuo_wanli_2023_dept_budget.pdf"

#: Draws each distinct Han character of the page's text in the body's font on a canvas
#: and fingerprints its pixels, together with a code point no font has (U+10FFFD).
GLYPHS_JS = """() => {
  const chars = [...new Set(document.body.innerText.match(/\\p{Script=Han}/gu) || [])].slice(0, 60);
  const font = getComputedStyle(document.body).fontFamily;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 48;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const print = (ch) => {
    ctx.clearRect(0, 0, 48, 48);
    ctx.font = `32px ${font}`;
    ctx.textBaseline = "top";
    ctx.fillText(ch, 4, 4);
    const alpha = ctx.getImageData(0, 0, 48, 48).data.filter((_, i) => i % 4 === 3);
    return alpha.join(",");
  };
  const missing = print("\\u{10FFFD}");
  const prints = chars.map(print);
  const blank = new Array(48 * 48).fill(0).join(",");
  return { chars: chars.length, distinct: new Set(prints).size,
           like_missing: prints.filter((p) => p === missing).length,
           blank: prints.filter((p) => p === blank).length };
}"""


def assert_chinese_renders(page: Page) -> None:
    glyphs = page.evaluate(GLYPHS_JS)
    assert glyphs["chars"] >= 20, glyphs
    assert glyphs["distinct"] == glyphs["chars"] and glyphs["like_missing"] == 0 and glyphs["blank"] == 0, glyphs


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


@pytest.fixture(scope="module")
def playwright():
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright):
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield b
    b.close()


def test_upload_pdf_in_chinese_see_tables_units_and_download(server, browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="zh-CN")
    page.goto(server.url + "/")
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert page.locator("input[type=file]").count() == 1 and page.locator("#drop").is_visible()
    page.set_input_files("#file", str(PDF))
    expect(page.locator("#result")).to_be_visible(timeout=180_000)
    report = json.loads(page.evaluate("fetch(document.querySelector('#dl-report').href).then(r => r.text())"))
    statuses = [t["status"] for t in report["tables"]]
    expect(page.locator("#result-title")).to_have_text(
        f"标准表：有数据 {statuses.count('found')} 张 · 印明无数据 {statuses.count('empty')} 张 · "
        f"缺 {statuses.count('missing')} 张 · 绩效项目 {report['performance']['project_count']} 个 · "
        f"检查发现 {report['checks_summary']['total']} 条"
    )
    assert report["performance"]["project_count"] > 0
    tables = page.locator("section.table")
    names = [tables.nth(i).get_attribute("data-resource") for i in range(tables.count())]
    assert "income_expenditure_summary" in names
    summary = page.locator("section.table[data-resource=income_expenditure_summary]")
    expect(summary.locator(".unit")).to_have_text("单位：万元")
    expect(summary.locator("table.preview tbody tr").first).to_be_visible()
    expect(page.locator("#partial")).to_be_hidden()  # corpus 000 is read whole
    # A wide preview scrolls inside its box; the page itself does not.
    wide = page.evaluate("""() => [...document.querySelectorAll('.scroll')].map(s => {
        const before = s.scrollLeft; s.scrollLeft = 10000;
        return {wide: s.scrollWidth > s.clientWidth, moved: s.scrollLeft > before}; })""")
    assert any(w["wide"] for w in wide) and all(w["moved"] for w in wide if w["wide"])
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_chinese_renders(page)
    screenshot(page, "page-zh.png")
    with page.expect_download() as dl:
        page.click("#dl-package")
    assert dl.value.suggested_filename.startswith("budgetpack-shanxi_budget-2024-")
    with zipfile.ZipFile(io.BytesIO(Path(dl.value.path()).read_bytes())) as z:
        descriptor = json.loads(z.read("datapackage.json"))
    assert set(names) == {r["name"] for r in descriptor["resources"] if r.get("format", "csv") == "csv"}
    page.close()


def test_partial_reads_are_shown_in_english(server, browser) -> None:
    """English by the browser's language; the Shanghai forms read in part say so above the tables."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
    page.goto(server.url + "/")
    assert page.get_attribute("html", "lang") == "en"
    page.set_input_files("#file", str(SHANGHAI_2023))
    expect(page.locator("#result")).to_be_visible(timeout=180_000)
    expect(page.locator("#result-title")).to_contain_text("Standard tables: 7 with data · 2 printed empty · 0 missing")
    expect(page.locator("#partial")).to_contain_text("5 of 5 performance forms read in part")
    projects = page.locator("section.table[data-resource=performance_projects]")
    expect(projects.locator(".badge-partial")).to_have_text("read in part")
    expect(projects.locator(".unit")).to_have_text("unit: 元")
    assert_chinese_renders(page)  # titles and names stay as printed
    screenshot(page, "page-en.png")
    page.close()


def test_switch_and_accept_language_choose_the_language(server, browser) -> None:
    page = browser.new_page(locale="en-US")
    page.goto(server.url + "/")
    expect(page.locator("#drop .button")).to_have_text("Choose a file")
    page.click("#lang-switch")
    expect(page.locator("#drop .button")).to_have_text("选择文件")
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert_chinese_renders(page)
    page.close()


def test_without_a_cjk_font_the_glyph_check_fails(server, playwright, tmp_path: Path) -> None:
    """The check above is no formality: a Chromium that sees only DejaVu (no CJK) draws boxes, and it says so."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{tmp_path}/cache</cachedir></fontconfig>"
    )
    b = playwright.chromium.launch(
        executable_path=CHROMIUM, args=ARGS, env={**os.environ, "FONTCONFIG_FILE": str(conf)}
    )
    try:
        page = b.new_page()
        page.goto(server.url + "/?lang=zh")
        glyphs = page.evaluate(GLYPHS_JS)
        assert glyphs["chars"] >= 20 and glyphs["distinct"] < glyphs["chars"] / 2, glyphs
        with pytest.raises(AssertionError):
            assert_chinese_renders(page)
    finally:
        b.close()


def test_refusal_is_shown_in_plain_words(server, browser) -> None:
    page = browser.new_page()
    page.goto(server.url + "/?lang=en")
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
    assert dl.value.suggested_filename.startswith("budgetpack-") and dl.value.suggested_filename.endswith(".zip")
    page.close()
