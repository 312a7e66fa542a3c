"""The status composer pane: the customer-facing status update and its parts."""
