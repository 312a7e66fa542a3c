"""Alerts in: ``warroom alerts serve`` turns Alertmanager, Grafana and PagerDuty webhooks
into incidents and *page* entries.

- :mod:`~warroom.alerts.payloads` validates the three payloads and reduces them to one
  shape (:class:`~warroom.alerts.payloads.Notification`);
- :mod:`~warroom.alerts.mapping` plans the entries a notification adds (pure);
- :mod:`~warroom.alerts.intake` finds the incident and writes through the store, once per
  idempotency key;
- :mod:`~warroom.alerts.auth` checks bearer tokens and PagerDuty signatures;
- :mod:`~warroom.alerts.server` is the HTTP receiver (aiohttp);
- :mod:`~warroom.alerts.cli` adds ``warroom alerts serve`` to the command line.
"""
