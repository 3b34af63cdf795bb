"""Bench commands of GEC Mines. Frappe finds them in `gec_mines.commands.commands`.

Each command imports Frappe and the app's modules when it runs, not when `bench` starts: bench
loads every app's commands before any site is initialised, for every command it runs.
"""

from gec_mines.commands.demo import gec_demo_data
from gec_mines.commands.keys import gec_rotate_key
from gec_mines.commands.legacy import gec_import_legacy

commands = [gec_demo_data, gec_import_legacy, gec_rotate_key]
