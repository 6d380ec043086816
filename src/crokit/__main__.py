"""``python -m crokit``: the same as the ``crokit`` command."""

import sys

try:
    from crokit.cli import main
except KeyboardInterrupt:  # pragma: no cover - Ctrl-C while Python is still importing crokit
    sys.stderr.write("crokit: interrupted\n")
    sys.exit(130)

sys.exit(main())
