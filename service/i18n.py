"""The upload page's words in Chinese (the default: its users publish Chinese budgets) and English.

The language is the one asked for with ``?lang=zh|en`` (the page's switch), else the best
of the browser's ``Accept-Language``, else Chinese. The same dictionary fills the
template and, as JSON, the texts the script writes.
"""

from __future__ import annotations

from flask import Request

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
HTML_LANG = {"zh": "zh-CN", "en": "en"}

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "title": "budgetpack：预决算公开文件转为数据包",
        "lead": "上传政府部门预算或决算公开文件（PDF 或 DOCX），得到经过校验的数据包：每张标准表一个 CSV 和一个 Parquet 文件，另附报告。",
        "api_key": "API 密钥",
        "choose": "选择文件",
        "or_drop": "或拖放到这里",
        "limits": "PDF 或 DOCX，最大 {max_mb} MB、{max_pages} 页",
        "api": "API（OpenAPI）",
        "switch": "English",
        "uploading": "正在上传 {name}…",
        "uploading_pct": "正在上传… {pct}%",
        "queued": "等待空闲的转换进程…",
        "running": "正在转换：读取表格…",
        "failed": "转换失败",
        "upload_failed": "上传失败",
        "connection_lost": "与服务器的连接已断开。",
        "went_wrong": "出错了",
        "download_package": "下载数据包（.zip）",
        "headline": "标准表：有数据 {found} 张 · 印明无数据 {empty} 张 · 缺 {missing} 张 · 绩效项目 {projects} 个 · 检查发现 {findings} 条",
        "valid": "数据包校验通过",
        "invalid": "数据包校验有错误",
        "partial": "只读出部分",
        "partial_box": "以下内容只读出了一部分",
        "validation_errors": "校验错误",
        "check_findings": "检查发现",
        "warnings": "警告",
        "not_found": "未找到的标准表",
        "page": "第 {page} 页",
        "pages": "第 {pages} 页",
        "rows": "{rows} 行，显示前 {shown} 行",
        "unit": "单位：{unit}",
        "status_found": "有数据",
        "status_empty": "印明无数据",
    },
    "en": {
        "title": "budgetpack: budget disclosure to data package",
        "lead": "Upload a Chinese government budget or final-accounts disclosure (预决算公开, PDF or DOCX) and get "
        "its standard tables as a validated data package: CSV and Parquet per table, with a report.",
        "api_key": "API key",
        "choose": "Choose a file",
        "or_drop": "or drop it here",
        "limits": "PDF or DOCX, at most {max_mb} MB and {max_pages} pages",
        "api": "API (OpenAPI)",
        "switch": "中文",
        "uploading": "Uploading {name}…",
        "uploading_pct": "Uploading… {pct}%",
        "queued": "Waiting for a free converter…",
        "running": "Converting: reading the tables…",
        "failed": "The conversion failed",
        "upload_failed": "Upload failed",
        "connection_lost": "The connection to the server was lost.",
        "went_wrong": "Something went wrong",
        "download_package": "Download the package (.zip)",
        "headline": "Standard tables: {found} with data · {empty} printed empty · {missing} missing · "
        "{projects} performance projects · {findings} check findings",
        "valid": "valid package",
        "invalid": "validation errors",
        "partial": "read in part",
        "partial_box": "Read only in part",
        "validation_errors": "Validation errors",
        "check_findings": "Check findings",
        "warnings": "Warnings",
        "not_found": "Standard tables not found",
        "page": "p. {page}",
        "pages": "pages {pages}",
        "rows": "{rows} rows, first {shown} shown",
        "unit": "unit: {unit}",
        "status_found": "with data",
        "status_empty": "printed empty",
    },
}


def language(request: Request) -> str:
    """``?lang=`` if it names a language, else the browser's best, else Chinese."""
    asked = request.args.get("lang", "").lower()
    if asked in LANGUAGES:
        return asked
    for tag, _quality in request.accept_languages:  # best first
        primary = tag.lower().replace("_", "-").split("-")[0]
        if primary in LANGUAGES:
            return primary
    return DEFAULT
