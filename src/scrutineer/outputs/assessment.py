"""The assessment as a terminal table with each theme's paragraph (`assess`, `demo`)."""

from __future__ import annotations

from scrutineer.assess.assessment import Assessment
from scrutineer.assess.text import indicator_text, theme_text
from scrutineer.outputs.text import to_table

COLUMNS = ("kpi", "value", "target", "rag", "trend", "spc", "category")


def rows(found: list[Assessment]) -> list[dict[str, object]]:
    return [{**a.as_dict(), "text": indicator_text(a)} for a in found]


def themes(found: list[Assessment]) -> dict[str, str]:
    return {
        theme: theme_text(theme, [a for a in found if a.kpi.theme == theme])
        for theme in sorted({a.kpi.theme for a in found})
    }


def assessment_table(found: list[Assessment]) -> str:
    table = to_table([{k: r[k] for k in COLUMNS} for r in rows(found)])
    return table + "".join(f"\n{text}\n" for text in themes(found).values())
