"""What is encrypted: the fields, the levels, and the GEC Settings check boxes that choose."""

import frappe

ENCRYPTABLE = ("objet", "expediteur", "destinataire", "numero_reference", "autres_informations")
INDEXED = ("numero_reference", "expediteur", "destinataire")
PROTECTED_LEVELS = ("Confidentiel", "Secret")
# Plaintext limits in characters, as the legacy registry had them (the columns are wider, for envelopes).
CHAR_LIMITS = {"numero_reference": 100, "expediteur": 200, "destinataire": 200}
TEXT_COLUMN_BYTES = 65_535
# GEC Settings check boxes: (field, for every mail, for Confidentiel and Secret mail)
SETTINGS_FIELDS = {field: (f"chiffrer_{field}", f"chiffrer_{field}_protege") for field in ENCRYPTABLE}
SETTINGS_CHECKS = tuple(check for pair in SETTINGS_FIELDS.values() for check in pair)


def champs_a_chiffrer(confidentialite: str | None) -> frozenset:
	"""The fields GEC Settings asks to encrypt for mail of this level."""
	checks = politique()
	protected = confidentialite in PROTECTED_LEVELS
	return frozenset(
		field
		for field, (every, extra) in SETTINGS_FIELDS.items()
		if checks[every] or (protected and checks[extra])
	)


def politique() -> dict[str, int]:
	"""The GEC Settings check boxes (see GECSettings.load_from_db for boxes never saved yet)."""
	settings = frappe.get_cached_doc("GEC Settings")
	return {check: frappe.utils.cint(settings.get(check)) for check in SETTINGS_CHECKS}


def aad(name: str, field: str) -> tuple[str, str, str]:
	return ("Courrier", name, field)
