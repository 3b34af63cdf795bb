"""Whitelisted endpoints that are not one document's method, under the public names DESIGN.md gives.

Each lives in the module of its concern and is re-exported here, so that
`/api/method/gec_mines.api.<name>` is the stable address.
"""

from gec_mines.api.accuse import accuse_reception, verifier_accuse
from gec_mines.api.securite import health, telecharger_fichier

__all__ = ["accuse_reception", "health", "telecharger_fichier", "verifier_accuse"]
