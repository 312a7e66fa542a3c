"""The countdowns pane: the clocks, the checkpoint form and the escalation hint."""
