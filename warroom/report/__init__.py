"""Across incidents: the on-call health report, rotation checks and runbooks.

Pure computations (:mod:`health`, :mod:`rotation`, :mod:`runbook`), their renderings
(:mod:`render_text`, :mod:`render_md`, :mod:`render_json`) and the CLI commands
(:mod:`cli`) that read the store through :mod:`source`.
"""
