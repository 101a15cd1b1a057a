"""docs/annex-a.md, written from the list definitions (a test keeps the two in step):
`python -m scrutineer.inspection.docs > docs/annex-a.md`."""

from __future__ import annotations

from scrutineer.inspection.definitions import load_lists

INTRODUCTION = """\
# Annex A: the lists for an Ofsted inspection

When Ofsted announces an inspection of local authority children's services (ILACS), the
authority sends its Annex A: child-level lists of what happened over a period before the
inspection. `scrutineer annex-a --out annex-a.xlsx` writes it from a snapshot, from the same
records and the same rules as every figure the board sees:

    scrutineer annex-a --out annex-a.xlsx [--as-at 2026-03-31] [--months 6] [--snapshot ID]

The period runs from the same day `--months` months before the as-at date (the month's last
day where that month is shorter: 31 March back six months is 30 September) to the as-at
date, both included. The as-at date is the snapshot's unless given, and cannot be after it.
The workbook has a sheet per list, `List 1` to `List 11`, each a header row of Ofsted's
column names in order and a row per record: dates are dates (shown dd/mm/yyyy), counts are
numbers, coded values are written as Ofsted's template writes them (`a) Male`, `b) WIRI`,
`g) Police`). The columns, their order and the values each allows are those of the column
map the London Innovation and Improvement Alliance's pipeline reads Annex A with
(`shared/inspection/annex_a_schema.yml`); the tests check the workbook against it, open it
in LibreOffice, and show that the lists count what the indicators count (contacts,
referrals and Section 47 enquiries in a month, conferences within 15 working days, children
looked after on a day).

Each list is defined once, as data (`src/scrutineer/inspection/lists/`, one YAML file a
list): its columns, one query over the extract's tables, and the choices Ofsted's guidance
leaves to the authority. The codes' Annex A values are in `inspection/values.yaml`. The
definitions are checked when they are read: each list numbered once, its query running
against an empty snapshot and returning one column per name.

`--summary FILE.pdf` (or `.html`) writes the inspection summary beside the workbook, for the
senior team's preparation: each list's records month by month (counted by the column named
below), with the board's own indicators for the same months and how many children each
one's exception list held each month; then, for the as-at month, each exception list's
children, most overdue first (the first 25 of each in the PDF; every one is on the
indicator's page). The figures are the engine's, computed as every output computes them; a
test shows the lists' monthly counts equal the indicators'.

The lists are child-level: the command is logged in the access log with the rows it wrote,
as every list of children is. On the web, admins and analysts see the summary at
`/inspection` and download the workbook and the summary's PDF there, each download logged.

Throughout: a child's age is their age on the as-at date (blank for an unborn child); the
allocated team and worker are who holds the case on the as-at date by the rule every figure
uses (or, for a case no one holds then, who held it last); a disability is "Yes" when any
disability other than none is recorded, "No" when only none is, "Unknown" when nothing is;
a date after the as-at date is left blank, as not yet so.
"""


def render_annex_a() -> str:
    parts = [INTRODUCTION]
    for annex in load_lists():
        parts.append(f"\n## {annex.sheet}: {annex.title}\n\n{annex.description}\n")
        parts.append("\nChoices made:\n")
        parts += [f"\n- {choice}" for choice in annex.choices]
        parts.append("\n\nColumns: " + "; ".join(annex.columns) + ".\n")
        if annex.month_of or annex.indicators:
            counted = f"records by {annex.month_of.lower()}" if annex.month_of else ""
            beside = ", ".join(f"`{k}`" for k in annex.indicators)
            parts.append(
                "\nIn the summary: "
                + "; beside them ".join(p for p in (counted, beside) if p)
                + ".\n"
            )
    return "".join(parts)


if __name__ == "__main__":  # pragma: no cover - the command in the docstring
    print(render_annex_a(), end="")
