"""Run in the DfE validators' environment (.venv-dfe), not by pytest: the tables the DfE's
own SSDA903 reader (lac_validator.ingress) makes of a return, as JSON on stdout,
{table: [row, ...]} with every value a string ("" for empty), rows sorted.

    .venv-dfe/bin/python tests/support/dfe_903_tables.py FOLDER_OR_XML
"""

import json
import sys
from pathlib import Path

from lac_validator.ingress import read_csvs_from_text, read_xml_from_text


def main(path: Path) -> None:
    if path.is_dir():
        files = [
            {"name": p.name, "file_content": p.read_bytes(), "description": "This year"}
            for p in sorted(path.glob("*.csv"))
        ]
        tables = read_csvs_from_text(files)
    else:
        tables = read_xml_from_text(path.read_text("utf-8"))
    out = {}
    for name, frame in tables.items():
        rows = frame.fillna("").astype(str).to_dict("records")
        out[name] = sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
