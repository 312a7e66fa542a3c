"""``python -m warroom``: the same as the ``warroom`` command."""

from warroom.cli.entry import main

raise SystemExit(main())
