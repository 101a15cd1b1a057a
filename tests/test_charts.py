"""SVG charts: accessible, and special causes marked by shape as well as colour."""

from scrutineer.outputs.charts import Series, line_chart


def test_a_chart_says_what_it_shows() -> None:
    svg = line_chart(
        Series(("2026-01", "2026-02", "2026-03"), (60.0, 65.0, 70.0), target=80.0),
        "Children visited",
        "percent",
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="t">Children visited</title>' in svg
    assert "from 2026-01 (60.0%) to 2026-03 (70.0%). Target 80.0%." in svg


def test_special_causes_have_shapes() -> None:
    labels = tuple(f"m{i}" for i in range(4))
    svg = line_chart(
        Series(
            labels, (1.0, 2.0, 3.0, 4.0), signals=("improvement", "concern", "special cause", None)
        ),
        "x",
        "count",
    )
    assert svg.count(' Z" fill="#00703c"') == 1  # a green triangle
    assert svg.count("<rect") == 1  # a red square
    assert svg.count('fill="#1d70b8"') == 1  # a blue diamond
    assert "3 month(s) marked as special cause" in svg


def test_no_figures_no_chart() -> None:
    assert "No figures to chart" in line_chart(Series(("a",), (None,)), "Empty", "count")
