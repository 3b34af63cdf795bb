"""Encryption of a courrier's sensitive fields and attachments, on top of `core/chiffrement`.

The package: `policy` (what is encrypted), `keys` (where the keys come from), `fields` (a
courrier's fields, in and out, and the mask elsewhere), `attachments`, `rotation`. The names the
rest of the app uses are imported here.

Where the master key comes from (the first source present wins; docs/securite.md says what to keep where)
	1. the environment variable ``GEC_ENCRYPTION_KEYS``: the key text itself;
	2. the environment variable ``GEC_MASTER_KEY_FILE``: the path of a key file (``{site}`` is replaced by
	   the site name, so one variable serves a bench of several sites);
	3. the site configuration ``gec_encryption_keys`` (key text) or ``gec_master_key_file`` (path), best
	   given through ``extra_config`` or common_site_config.json: site_config.json is copied into backups;
	4. the file ``<bench>/config/gec-keys/<site>.keys``, created at installation when no key exists.
	A key file must be readable by its owner only (chmod 600); it is read again when it changes.

What is encrypted
	The fields ticked in GEC Settings: by default `autres_informations` of every mail and, for
	Confidentiel and Secret mail, `objet`, `expediteur`, `destinataire` and `numero_reference` too. Their
	values are envelopes (`gec:v1:<kid>:...`) bound to ("Courrier", name, field), in the database and in
	every document the server holds. The three short fields also get a blind index (`<field>_index`)
	for exact-match search; `texte_recherche` never holds an encrypted field. Attachments of Confidentiel
	and Secret mail are encrypted on disk, bound to the SHA-256 of their plaintext (so that a file shared
	by two attachments, as Frappe does for identical uploads, opens for both); once encrypted, a file
	stays encrypted and is served by `gec_mines.api.telecharger_fichier` only.

Where plaintext appears
	Only on the way out to a user allowed to read the courrier: the form (`onload`), the document API
	(`apply_fieldlevel_read_permissions`), print views and PDFs (`before_print`). Lists, reports and
	searches read the columns and so get envelopes, which the desk shows as a mask. Notifications and
	e-mails show the mask unless GEC Settings asks for plaintext (which then stays in the e-mail queue).

A missing or wrong key is a clear error and never overwrites anything: a value that does not open is
never re-encrypted, replaced or dropped.
"""

from gec_mines.chiffrement.attachments import (
	champs_fichier,
	chemin_fichier,
	chiffrer_fichier,
	chiffrer_pieces_jointes,
	fichier_chiffre,
	lire_fichier,
)
from gec_mines.chiffrement.fields import (
	a_l_ouverture,
	apres_elevation,
	avant_ecriture,
	avant_impression,
	filtre_exact,
	garder_enveloppes,
	masque,
	masquer_rattache,
	masquer_version,
	pour_lecteur,
	pour_notification,
	texte_affichable,
)
from gec_mines.chiffrement.keys import (
	ENV_KEY_FILE,
	ENV_KEYS,
	description_cle,
	entrees_fichier,
	etat_cle,
	installer_cle,
	source_cle,
	trousseau,
)
from gec_mines.chiffrement.policy import (
	ENCRYPTABLE,
	INDEXED,
	PROTECTED_LEVELS,
	SETTINGS_CHECKS,
	aad,
	champs_a_chiffrer,
)
from gec_mines.chiffrement.rotation import (
	_recle_fichier,
	aligner_lot,
	etat_rotation,
	executer_rotation,
	lancer_rotation,
	lire_courriers,
	nouvelle_cle,
	retirer_anciennes_cles,
)

__all__ = [
	"ENCRYPTABLE",
	"ENV_KEYS",
	"ENV_KEY_FILE",
	"INDEXED",
	"PROTECTED_LEVELS",
	"SETTINGS_CHECKS",
	"_recle_fichier",
	"a_l_ouverture",
	"aad",
	"aligner_lot",
	"apres_elevation",
	"avant_ecriture",
	"avant_impression",
	"champs_a_chiffrer",
	"champs_fichier",
	"chemin_fichier",
	"chiffrer_fichier",
	"chiffrer_pieces_jointes",
	"description_cle",
	"entrees_fichier",
	"etat_cle",
	"etat_rotation",
	"executer_rotation",
	"fichier_chiffre",
	"filtre_exact",
	"garder_enveloppes",
	"installer_cle",
	"lancer_rotation",
	"lire_courriers",
	"lire_fichier",
	"masque",
	"masquer_rattache",
	"masquer_version",
	"nouvelle_cle",
	"pour_lecteur",
	"pour_notification",
	"retirer_anciennes_cles",
	"source_cle",
	"texte_affichable",
	"trousseau",
]
