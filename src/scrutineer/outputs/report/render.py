"""Render a report context: HTML, and PDF from the same HTML (WeasyPrint, no browser)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from scrutineer.errors import ScrutineerError
from scrutineer.outputs.report.context import ReportContext

FORMATS = (".html", ".pdf", ".xlsx")


class ReportFormatInvalid(ScrutineerError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Cannot write {path.name}: give --out a name ending in .html, .pdf or .xlsx."
        )


def html(context: ReportContext) -> str:
    environment = Environment(
        loader=PackageLoader("scrutineer.outputs.report", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    return environment.get_template("report.html").render(r=context)


def write_report(context: ReportContext, out: Path) -> Path:
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise ReportFormatInvalid(out)
    if suffix == ".xlsx":
        from scrutineer.outputs.report.excel import write_workbook

        return write_workbook(context, out)
    page = html(context)
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".html":
        out.write_text(page, "utf-8")
    else:
        from weasyprint import HTML  # imported here: it takes a second to load

        HTML(string=page).write_pdf(out)
    return out
