"""Editions of the Jiangsu and Shanghai templates that print titles, labels and
column headers a little differently from the documents in tests/fixtures/real:
单位 instead of 部门 editions, the organisation before the year, years in column
headers. Built as DOCX tables and converted end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docx_tables import build_docx, records

JS_SUMMARY = [
    ["收入", "", "支出", "", "", ""],
    ["项目名称", "金额", "功能分类", "", "支出用途", ""],
    ["", "", "功能科目名称", "金额", "项目名称", "金额"],
    ["一、财政拨款", "100.00", "一、一般公共服务支出", "100.00", "一、基本支出", "100.00"],
    ["收入合计", "100.00", "支出合计", "", "", "100.00"],
]
JS_SUMMARY_MERGES = [(0, 0, 1, 2), (0, 2, 1, 4), (1, 0, 2, 1), (1, 1, 2, 1), (1, 2, 1, 2), (1, 4, 1, 2), (4, 2, 1, 3)]
SH_FINAL_SUMMARY = [
    ["收入", "", "支出", ""],
    ["项目", "金额", "项目", "金额"],
    ["一、财政拨款收入", "100.00", "一、一般公共服务支出", "100.00"],
    ["本年收入合计", "100.00", "本年支出合计", "100.00"],
]


@pytest.mark.parametrize(
    "title", ["2020年度单位收支预算总表", "江苏省某某局2020年部门收支预算总表", "部门收支预算总表"]
)
def test_jiangsu_summary_titled_by_edition(tmp_path: Path, title: str) -> None:
    """Jiangsu 公开01表 without its label, titled as 单位 and 部门 editions print it."""
    path = build_docx(tmp_path / "t.docx", [title, "单位名称：某某局    单位：万元"], JS_SUMMARY, JS_SUMMARY_MERGES)
    got = records(path, tmp_path / "out", "jiangsu_budget/income_expenditure_summary")
    assert [(r["item"], r["total"]) for r in got if r["row_kind"] == "total"] == [
        ("收入合计", "100.00"),
        ("支出合计", "100.00"),
    ]


@pytest.mark.parametrize("title", ["2024年度单位收入支出决算总表", "单位收入支出决算总表"])
def test_final_accounts_summary_titled_as_unit_edition(tmp_path: Path, title: str) -> None:
    """Shanghai 单位决算 prints 单位收入支出决算总表 where the 部门决算 prints 收入支出决算总表."""
    path = build_docx(
        tmp_path / "t.docx", [title, "编制单位：某某局    单位：万元"], SH_FINAL_SUMMARY, [(0, 0, 1, 2), (0, 2, 1, 2)]
    )
    got = records(path, tmp_path / "out", "shanghai_final_accounts/income_expenditure_summary")
    assert [(r["side"], r["item"], r["total"]) for r in got] == [
        ("income", "一、财政拨款收入", "100.00"),
        ("expenditure", "一、一般公共服务支出", "100.00"),
        ("income", "本年收入合计", "100.00"),
        ("expenditure", "本年支出合计", "100.00"),
    ]


SH_THREE_PUBLIC = [
    ["{y}“三公”经费预算数", "", "", "", "", "", "{y}机关运行经费预算数"],
    ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", "", "", ""],
    ["", "", "", "小计", "购置费", "运行费", ""],
    ["10.81", "0", "0.83", "9.98", "0", "9.98", "217.83"],
]


@pytest.mark.parametrize("year", ["2019年", "2025年度", "2026年度"])
def test_year_before_column_labels(tmp_path: Path, year: str) -> None:
    """Shanghai's 三公 table heads its columns with the year (2026年“三公”经费预算数,
    2025年度机关运行经费预算数): the year, with or without 度, is no part of the label."""
    rows = [[c.format(y=year) for c in r] for r in SH_THREE_PUBLIC]
    merges = [(0, 0, 1, 6), (0, 6, 3, 1), (1, 0, 2, 1), (1, 1, 2, 1), (1, 2, 2, 1), (1, 3, 1, 3)]
    path = build_docx(tmp_path / "t.docx", [f"{year}部门“三公”经费和机关运行经费预算表", "单位：万元"], rows, merges)
    [got] = records(path, tmp_path / "out", "shanghai_budget/three_public_expenditure")
    assert (got["total"], got["reception"], got["vehicle_running"], got["operating_expenses"]) == (
        "10.81",
        "0.83",
        "9.98",
        "217.83",
    )
