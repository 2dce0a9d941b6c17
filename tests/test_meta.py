"""What a document is: its organisation read from captions."""

from __future__ import annotations

import pytest

from converters.meta import caption_org


@pytest.mark.parametrize(
    "caption,organisation",
    [
        ("2024年度", None),
        ("2024 年", None),
        ("011-汾阳市公安局", "汾阳市公安局"),
        ("047：大同市公安局", "大同市公安局"),
        ("312001大厂回族自治县公安局", "大厂回族自治县公安局"),
        ("951 — 朔州市公安局开发区分局", "朔州市公安局开发区分局"),
        ("单位名称：011-汾阳市公安局", "汾阳市公安局"),
        ("单位名称：朔州市公安局开发区分局", "朔州市公安局开发区分局"),
        ("单位：万元", None),
        ("2024-05-01", None),
    ],
)
def test_organisation_from_a_caption(caption: str, organisation: str | None) -> None:
    assert caption_org(caption) == organisation
