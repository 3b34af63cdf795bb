"""Security of GEC Mines: the journal (journal.py), rate limits (limits.py), sign-in (signin.py)
and the health check (health.py)."""
