"""Shared test support: the fixed instant and clock, event and incident builders.

- :mod:`tests.support.times`: :data:`~tests.support.times.T0`, the instant every
  deterministic test starts from, ``at(minutes)`` and a frozen clock;
- :mod:`tests.support.events`: stored events built in one place (``event_at``), the
  chainable :class:`~tests.support.events.Incident` and
  :class:`~tests.support.events.IncidentEvents` (the panes' tests);
- :mod:`tests.support.entries`: new entries (``declared``, ``note``) as a writer hands
  them to the store;
- :mod:`tests.support.incidents`: ``seed_incident``, an incident logged line by line
  into a real store (the console's and the seats' tests);
- :mod:`tests.support.grammars`: Hypothesis strategies for what a user types.

The temp-database fixtures (``db_path``, ``store``) and ``t0``/``frozen_time`` are in
``tests/conftest.py``.
"""
