"""Suppression that holds against differencing, for what councillors and the public see
(outputs/disclosure.py). Each case is attacked as issue 18 describes: every table the public
is shown is solved for its hidden cells from what it does show, and no hidden cell may come
out at a single value. Cases worked by hand."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from datetime import date

from scrutineer.outputs.disclosure import protect, recoverable
from scrutineer.outputs.qa_summary import GRADES, GradeRow, QaSummary, grade_cells, share_text
from scrutineer.outputs.report.context import qa_tables


def test_one_hidden_cell_of_a_sum_brings_the_smallest_other_that_is_not_zero() -> None:
    values = {"a": 3, "b": 10, "c": 0, "d": 7}
    assert protect(values, {"a"}, [("a", "b", "c", "d")]) == {"a", "d"}
    assert protect(values, {"a", "b"}, [("a", "b", "c", "d")]) == {"a", "b"}  # two: safe
    assert protect(values, set(), [("a", "b", "c", "d")]) == set()


def test_a_share_beside_a_hidden_count_is_hidden_too() -> None:
    """Director * 1.2% of 165: the share and the total gave the 2 back."""
    assert share_text(2, 165, public=True) == "*"
    assert share_text(2, 165, public=False) == "1.2%"
    assert share_text(40, 165, public=True) == "24.2%"


def solutions(shown: dict[str, int], hidden: list[str], sums: list[tuple[str, ...]], top: int):  # type: ignore[no-untyped-def]
    """Every way to fill the hidden cells with 0..top that keeps each sum (its last name the
    total) true: what an attacker who knows the table's arithmetic can work out."""
    for guess in itertools.product(range(top + 1), repeat=len(hidden)):
        cells = {**shown, **dict(zip(hidden, guess, strict=True))}
        if all(sum(cells[k] for k in parts[:-1]) == cells[parts[-1]] for parts in sums):
            yield dict(zip(hidden, guess, strict=True))


def test_a_grade_row_cannot_be_solved_for_its_hidden_grades() -> None:
    """15 audits graded: 2 outstanding (small: hidden), 5 good, 6 requiring improvement,
    2 inadequate (small). Hiding good too (or good or better would give outstanding back)
    is not enough: the graded less those requiring improvement less good or better is the
    inadequate, so one more goes."""
    row = GradeRow(
        "Overall", {"outstanding": 2, "good": 5, "requires_improvement": 6, "inadequate": 2}
    )
    texts = grade_cells(row, public=True)
    hidden = [k for k, t in texts.items() if t == "*"]
    counts = {**row.counts, "good_or_better": row.good_or_better, "graded": row.graded}
    shown = {k: v for k, v in counts.items() if k not in hidden}
    sums = [(*GRADES, "graded"), ("good", "outstanding", "good_or_better")]
    found = list(solutions(shown, hidden, sums, row.graded))
    assert {"outstanding", "inadequate"} <= set(hidden) and len(found) > 1
    for cell in hidden:  # none comes out at one value
        assert len({f[cell] for f in found}) > 1, cell


def test_the_alert_levels_of_a_public_report_cannot_be_solved() -> None:
    """20 alerts: 12 resolved informally, 4 at service manager, 3 at head of service, 1 at
    the Director. The levels add up to the 20 shown."""
    levels = Counter(informal=12, service_manager=4, head_of_service=3, director=1)
    summary = QaSummary(date(2025, 4, 1), date(2026, 3, 31), (), 0, {}, None, 20, Counter(), levels)
    shown_rows = qa_tables(summary, "public").levels
    names = ["informal", "service_manager", "head_of_service", "director"]
    hidden = [n for n, (_, count, share) in zip(names, shown_rows, strict=True) if count == "*"]
    for _, count, share in shown_rows:
        assert (count == "*") == (share == "*")  # a share never beside a hidden count
    shown = {n: levels[n] for n in names if n not in hidden} | {"alerts": 20}
    found = list(solutions(shown, hidden, [(*names, "alerts")], 20))
    assert len(hidden) >= 2 and all(len({f[c] for f in found}) > 1 for c in hidden)
    assert not re.search(r"\d+\.\d%", shown_rows[3][2])  # the Director's 5.0% not printed


def test_relations_that_overlap_are_solved_as_an_attacker_would() -> None:
    """a + b, b + c and a + c are shown (a 2, b 3, c 4, all small): each sum has two
    hidden cells, yet together they give each back (a = (ab + ac - bc) / 2). Solved, one
    total goes too."""
    values = {"a": 2, "b": 3, "c": 4, "ab": 5, "bc": 7, "ac": 6}
    sums = [("a", "b", "ab"), ("b", "c", "bc"), ("a", "c", "ac")]
    signed = [tuple((k, -1 if i == 2 else 1) for i, k in enumerate(s)) for s in sums]
    assert recoverable({"a", "b", "c"}, signed) == {"a", "b", "c"}
    hidden = protect(values, {"a", "b", "c"}, sums)
    assert hidden > {"a", "b", "c"} and not recoverable(hidden, signed)
    shown = {k: v for k, v in values.items() if k not in hidden}
    found = [
        guess
        for guess in itertools.product(range(12), repeat=len(hidden))
        if all(
            sum({**shown, **dict(zip(sorted(hidden), guess, strict=True))}[k] for k in s[:2])
            == {**shown, **dict(zip(sorted(hidden), guess, strict=True))}[s[2]]
            for s in sums
        )
    ]
    assert len({g[sorted(hidden).index("a")] for g in found}) > 1


def test_a_cell_given_back_by_one_sum_alone_is_found() -> None:
    signed = [(("a", 1), ("b", 1), ("t", -1)), (("b", 1), ("u", -1))]
    assert recoverable({"a", "b"}, signed) == {"a", "b"}  # b = u shown, then a = t - b
    assert recoverable({"a", "b", "u"}, signed) == set()
