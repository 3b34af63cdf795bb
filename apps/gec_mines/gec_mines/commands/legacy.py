"""`bench --site SITE gec-import-legacy (--database-url URL --uploads DIR | --export FILE.zip)`:
bring a legacy GEC deployment over."""

import click
import frappe
from frappe import _
from frappe.commands import get_site, pass_context


@click.command("gec-import-legacy")
@click.option(
	"--database-url", help="Legacy database: sqlite:///path/gec_mines.db or postgresql://user@host/db"
)
@click.option(
	"--uploads",
	type=click.Path(exists=True, file_okay=False),
	help="The legacy uploads/ folder (with --database-url)",
)
@click.option(
	"--export", "export_zip", type=click.Path(exists=True, dir_okay=False), help="A legacy mail export ZIP"
)
@click.option(
	"--legacy-key",
	envvar="GEC_LEGACY_MASTER_KEY",
	help="The legacy GEC_MASTER_KEY (base64); prefer the GEC_LEGACY_MASTER_KEY environment variable",
)
@click.option("--dry-run", is_flag=True, help="Print what would be imported and every problem; write nothing")
@click.option("--batch-size", default=200, show_default=True, type=click.IntRange(1, 5000))
@pass_context
def gec_import_legacy(context, database_url, uploads, export_zip, legacy_key, dry_run, batch_size):
	"""Bring a legacy GEC deployment over: departments, users, statuses, types, settings, mail, files
	and history. Idempotent and resumable; exits with 1 when rows could not be imported."""
	from gec_mines.core.legacy import LegacySourceError
	from gec_mines.legacy import describe, open_legacy, preview, run_import

	if bool(database_url) == bool(export_zip) or bool(database_url) != bool(uploads):
		raise click.UsageError("Give either --database-url with --uploads, or --export.")

	def progress(table: str, done: int, total: int):
		click.echo(f"{table}: {done}/{total}" if total else f"{table}: {done}", err=True)

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		try:
			source = open_legacy(database_url, uploads, export_zip, legacy_key)
		except LegacySourceError as error:
			raise click.ClickException(describe(error.code, error.params)) from error
		with source:
			if dry_run:
				report = preview(source, progress)
				lines, failed = report.lines(), bool(report.errors)
				lines.append(_("Dry run: nothing was written."))
			else:
				result = run_import(source, progress=progress, batch_size=batch_size)
				lines, failed = result.lines(), bool(result.failures)
		click.echo("\n".join(lines))
	finally:
		frappe.destroy()
	if failed:
		raise SystemExit(1)
