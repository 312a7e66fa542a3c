"""Shared test support: the fixed instant and clock, event and incident builders.

- :mod:`tests.support.times`: :data:`~tests.support.times.T0`, the instant every
  deterministic test starts from, ``at(minutes)`` and a frozen clock;
- :mod:`tests.support.events`: events and new entries built in one place
  (``event_at``, ``declared_entry``, ``note_entry``), the chainable
  :class:`~tests.support.events.Incident` and :class:`~tests.support.events.IncidentEvents`;
- :mod:`tests.support.grammars`: Hypothesis strategies for what a user types.

The temp-database fixtures (``db_path``, ``store``) and ``t0``/``frozen_time`` are in
``tests/conftest.py``.
"""
