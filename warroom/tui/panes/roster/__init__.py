"""The roster pane: roles and holders, and the assign-role form."""
