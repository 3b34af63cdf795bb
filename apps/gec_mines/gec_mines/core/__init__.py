"""Framework-free domain code of GEC Mines.

Nothing in this package imports frappe: every rule here is tested with plain pytest
(`tests/core/`), and the Frappe layer translates its errors into user messages.
"""
