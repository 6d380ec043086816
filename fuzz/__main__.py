"""``python -m fuzz``: run the fuzz suite (see :mod:`fuzz._cli`)."""

import sys

from fuzz._cli import main

sys.exit(main())
