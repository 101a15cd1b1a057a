"""`python -m scrutineer`: the same as the `scrutineer` command."""

from scrutineer.cli import main

main()
