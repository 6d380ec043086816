"""``python -m crokit``: the same as the ``crokit`` command."""

import sys

from crokit.cli import main

sys.exit(main())
