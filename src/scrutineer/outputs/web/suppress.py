"""Small-number suppression on the dashboard, for roles that see aggregates only.

The same primary rule as the public report (`report.suppression.is_small`). A breakdown adds
complementary suppression: if only one row of a table is hidden, its value could be worked
out from the total less the others, so the next smallest row is hidden too.
"""

from __future__ import annotations

from scrutineer.catalogue.model import Kpi
from scrutineer.engine.compute import Value
from scrutineer.outputs.report.suppression import is_small


def hidden_rows(values: list[Value], kpi: Kpi) -> set[int]:
    """Indexes of the breakdown rows to hide."""
    hidden = {i for i, v in enumerate(values) if is_small(v, kpi.unit)}
    if len(hidden) == 1 and len(values) > 1:
        rest = [i for i in range(len(values)) if i not in hidden]
        hidden.add(min(rest, key=lambda i: values[i].numerator or 0))
    return hidden
