"""`bench --site SITE gec-rotate-key`: new encryption key and re-encryption (see docs/securite.md)."""

import time

import click
import frappe
from frappe.commands import get_site, pass_context


@click.command("gec-rotate-key")
@click.option("--resume", is_flag=True, help="Re-encrypt under the current key without adding a new one")
@click.option("--status", "show_status", is_flag=True, help="Show the progress of the last rotation")
@click.option("--wait", is_flag=True, help="Stay and show the progress of the background job")
@click.option("--foreground", is_flag=True, help="Re-encrypt in this process instead of a background job")
@click.option("--retire-old", is_flag=True, help="Drop the old keys once nothing is encrypted with them")
@click.option("--print-new-key", is_flag=True, help="Print a new key entry (for keys kept outside a file)")
@pass_context
def gec_rotate_key(context, resume, show_status, wait, foreground, retire_old, print_new_key):
	"""Rotate the encryption key: a new key goes first in the key file, then every encrypted value and
	attachment is re-encrypted with it in a background job (resumable: run it again with --resume)."""
	from gec_mines import chiffrement
	from gec_mines.core.chiffrement import generate_key

	if print_new_key:
		click.echo(generate_key())
		return
	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		if show_status:
			click.echo(describe(chiffrement.etat_rotation()))
		elif retire_old:
			retired = chiffrement.retirer_anciennes_cles()
			click.secho(f"Clés retirées / keys retired: {', '.join(retired) or '-'}", fg="green")
		else:
			if not resume:
				click.secho(f"Nouvelle clé / new key: {chiffrement.nouvelle_cle()}", fg="green")
			if foreground:
				state = chiffrement.executer_rotation(apres_lot=lambda s: click.echo(describe(s)))
				click.secho(describe(state), fg="green")
				return
			chiffrement.lancer_rotation()
			click.echo("Rotation en arrière-plan / running in the background (--status to follow).")
			while wait:
				time.sleep(2)
				state = chiffrement.etat_rotation()
				click.echo(describe(state))
				wait = state.get("status") != "done"
	except frappe.ValidationError as error:
		raise click.ClickException(frappe.utils.strip_html(str(error))) from error
	finally:
		frappe.destroy()


def describe(state: dict) -> str:
	if not state:
		return "Aucune rotation / no rotation yet."
	return "{status} · clé/key {kid} · {done}/{total} · {changed} modifiés/changed".format(
		status=state.get("status"),
		kid=state.get("kid"),
		done=state.get("done", 0),
		total=state.get("total", "?"),
		changed=state.get("changed", 0),
	)
