"""``python -m pyopenai.testing --port 8080``: run the local server in the foreground."""

from __future__ import annotations

import sys

from ._main import main

if __name__ == "__main__":
    sys.exit(main())
