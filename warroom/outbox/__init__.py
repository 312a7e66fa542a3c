"""Team mode when the server is unreachable: the local outbox.

An entry typed while the PostgreSQL server cannot be reached is kept in a small
local SQLite file (:mod:`warroom.outbox.box`) and sent later, exactly once and in
the order typed, to the database it was meant for (:mod:`warroom.outbox.flush`);
:mod:`warroom.outbox.cli` is ``warroom log``'s queueing path and ``warroom sync``.

Nothing is imported here: the CLI registers ``sync`` on every start, and the
console's first frame must not pay for the store or the models.
"""
