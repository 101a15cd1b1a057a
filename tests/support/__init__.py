"""What the tests share besides fixtures (those are in `tests/conftest.py`): hand-written
extracts, the command line and the web site as a test drives them, golden cases, the DfE
tables. Checked by mypy with the rest of the tests."""
