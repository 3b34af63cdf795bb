"""`bench --site SITE gec-demo-data --count N`: realistic mail for a demo or a benchmark."""

import click
import frappe
from frappe.commands import get_site, pass_context


@click.command("gec-demo-data")
@click.option(
	"--count", default=1000, show_default=True, type=click.IntRange(1, 5_000_000), help="Mail to create"
)
@click.option("--seed", default=42, show_default=True, type=int, help="Same seed, same data")
@pass_context
def gec_demo_data(context, count: int, seed: int):
	"""Fill the registry with realistic French mail (mining companies, cooperatives, provinces)."""
	from gec_mines.setup.demo import create_demo_data

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		created = create_demo_data(count, seed=seed, progress=True)
		click.secho(f"{created} courriers créés / mail created.", fg="green")
	finally:
		frappe.destroy()
