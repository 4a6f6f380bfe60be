"""One app node: ``reflex run --env prod --backend-only --backend-port P`` (argv passed through).

rxconfig.py sets ``frontend_port`` for ``make run``'s single port, and Reflex 0.10 refuses any frontend port
with ``--backend-only`` ("Cannot specify --frontend-port when not running frontend"); the node clears it on
the loaded config before handing over to Reflex's own command line.
"""

from __future__ import annotations

import sys

from reflex.config import get_config
from reflex.reflex import cli


def main() -> None:
    get_config().frontend_port = None
    cli(args=["run", *sys.argv[1:]], prog_name="reflex")


if __name__ == "__main__":
    main()
