"""Import of a legacy (Flask) GEC deployment: `bench --site SITE gec-import-legacy`.

`gec_mines.core.legacy` reads the deployment (a database and its uploads folder, or a mail export
ZIP) into plain records; this package writes them into the registry through the registry's own
documents, so that their rules and hooks apply (field checks, attachment checks, encryption of
sensitive fields, search text, probable duplicates).

Where each legacy table goes:

======================  =========================================================================
departement             Departement, by code (an existing department is linked, not changed; its
                        head is filled in from the legacy one when it has none)
role                    nothing of its own: each user gets the GEC roles of `core.legacy.roles`
user                    User: e-mail, name, username, department, GEC roles, language, enabled;
                        no Frappe password: the legacy hash waits, encrypted, for the first
                        sign-in (`gec_mines.securite.signin`). An account with the same e-mail is linked
statut_courrier         Statut Courrier, by code; a status found only on mail is created there
type_courrier_sortant   Type Courrier, by name (case and accents ignored), direction Sortant
parametres_systeme      GEC Settings: names, receipt texts, contact, logos, numbering mode and
                        format (the legacy counter is shared by both directions, so is its format)
courrier                Courrier named by its legacy number, with its dates, registering user,
                        department, status and trash state; imported mail is Normal; the workflow
                        state follows the status (`workflow_state`); the main attachment becomes
                        a private File, checked like an upload and against its legacy checksum
courrier_forward        Transmission Courrier with its read state and file. Export forwards name
                        no users of this site: they become an Info comment on the mail
courrier_comment        Commentaire Courrier (comment / annotation / instruction); comments the
                        legacy app had deleted (inactive) are not brought back
courrier_modification   a Version of the mail, shown in its timeline as the change of that field
log_activite            Journal Legacy GEC, read-only (Frappe's Activity Log is purged after 90
                        days; an audit trail must not be)
======================  =========================================================================

Dates: the legacy app stored naive UTC; they become the site's time zone. Rows keep their legacy
author and date (`owner`, `creation`). A user the import cannot resolve (not in the source, or not
imported) is replaced by Administrator, and the row says so in its notes. A mail export has no
users at all: its mail is registered as Administrator's.

Numbering: legacy numbers are kept verbatim as document names; then every counter they hold, read
with the legacy format and with the site's own formats, is raised in `tabSeries`, so that new
numbers continue after the highest legacy one (`raise_counters`).

Idempotence, resume, failures: each row is recorded in `Import Legacy GEC` ("<table>:<key>") in
the same savepoint as the records it created, and a batch is committed as a whole. A run skips
recorded rows: a second run adds nothing, a run after a crash continues after the last committed
batch. A row that fails is rolled back to its savepoint (files written for it are removed),
reported, and tried again by the next run; the others go on.
"""

from gec_mines.legacy.importer import Importer, run_import
from gec_mines.legacy.messages import describe
from gec_mines.legacy.result import ImportResult, Transaction
from gec_mines.legacy.source import open_legacy, preview

__all__ = ["ImportResult", "Importer", "Transaction", "describe", "open_legacy", "preview", "run_import"]
