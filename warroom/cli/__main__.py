"""``python -m warroom.cli``: the same as the ``warroom`` command."""

from warroom.cli.entry import main

raise SystemExit(main())
