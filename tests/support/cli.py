"""The command line as a user runs it: a fresh process in a home folder of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Cli:
    """`scrutineer ...` run in `home`, its data folder `home/data`."""

    home: Path

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "SCRUTINEER_DATA_DIR": str(self.home / "data")}
        done = subprocess.run(
            [sys.executable, "-m", "scrutineer", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=self.home,
            timeout=600,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"scrutineer {' '.join(args)} failed:\n{done.stderr}")
        return done
