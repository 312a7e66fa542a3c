"""The scribe input under the timeline and its per-incident history."""
