"""Turns the raw numbers of one run (suite.py) into benchmarks/results/<date>-<N>-<commit>.json,
.md (request x role: median, p95, p99, requests per second, the floor, the target, the legacy,
the change since the previous run of the same size) and .png.

	python report.py --raw raw.json [--gapless gapless.json] --results benchmarks/results
	python report.py --rewrite benchmarks/results/2026-12-04-100000-abc1234.json   (table and chart again)
"""

import argparse
import json
import re
from pathlib import Path

FLOOR = "ping (floor)"
COUNT_SUFFIX = " · count"
FLOOR_FACTOR = 3


def main():
	parser = argparse.ArgumentParser(description=__doc__)
	parser.add_argument("--raw")
	parser.add_argument("--gapless")
	parser.add_argument("--results", default=str(Path(__file__).parent / "results"))
	parser.add_argument("--rewrite")
	args = parser.parse_args()
	if args.rewrite:
		path = Path(args.rewrite)
		run = json.loads(path.read_text())
		results = path.parent
	else:
		run = json.loads(Path(args.raw).read_text())
		run["gapless"] = json.loads(Path(args.gapless).read_text()) if args.gapless else None
		results = Path(args.results)
		results.mkdir(parents=True, exist_ok=True)
		meta = run["meta"]
		path = results / f"{meta['date'][:10]}-{meta['count']}-{meta['commit']}.json"
		path.write_text(json.dumps(run, indent=1))
	previous = previous_run(results, run, path)
	markdown = render(run, previous)
	path.with_suffix(".md").write_text(markdown)
	chart(run, path.with_suffix(".png"))
	print(markdown)
	print(f"\nwritten: {path.with_suffix('.md')}, {path.with_suffix('.png')}, {path}")


def previous_run(results: Path, run: dict, current: Path) -> tuple[str, dict] | None:
	"""The latest earlier results file for the same number of mails."""
	candidates = []
	for other in results.glob(f"*-{run['meta']['count']}-*.json"):
		if other.resolve() == current.resolve():
			continue
		try:
			data = json.loads(other.read_text())
		except ValueError:
			continue
		if data.get("meta", {}).get("date", "") < run["meta"]["date"]:
			candidates.append((data["meta"]["date"], other.name, data))
	if not candidates:
		return None
	_date, name, data = max(candidates, key=lambda c: c[0])
	return name, data


def key(row: dict) -> tuple:
	return (row["system"], row["role"], row["name"], row["users"])


# ------------------------------------------------------------------ Markdown


def render(run: dict, previous: tuple[str, dict] | None) -> str:
	meta = run["meta"]
	roles = list(meta["roles"])
	rows = ordered([r for r in run["results"] if r["system"] == "gec" and not r["part"]], roles)
	legacy = {(r["name"], r["users"]): r for r in run["results"] if r["system"] == "legacy"}
	floors = {r["role"]: r["p95"] for r in rows if r["name"] == FLOOR and r["p95"]}
	before = {key(r): r for r in previous[1]["results"]} if previous else {}
	first_role = roles[0] if roles else None
	most_clients = max(meta["load"]["clients"])

	out = [f"# GEC Mines under load: {meta['count']:,} mails".replace(",", " "), ""]
	out += header(run, previous)
	out += [
		"## Request × role",
		"",
		"Milliseconds. *n*: answers measured; *× floor*: p95 over the p95 of `ping` for the same role "
		f"under the same load; a latency target is also met within {FLOOR_FACTOR}× that floor (issue 15). "
		f"*legacy p95*: the legacy GEC measured as `{(meta.get('legacy') or {}).get('user', '—')}`, who "
		"sees all mail like the SG (shown on the SG's rows). *Δ*: p95 (req/s for registration) against "
		"the previous run of the same size.",
		"",
		"| Request | Role | n | median | p95 | p99 | req/s | errors | × floor | target | pass | legacy p95 | Δ |",
		"|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|--:|--:|",
	]
	for row in rows:
		target = run["targets"].get(row["label"], {})
		name = row["name"] + (clients(row["users"]) if target.get("rps") else "")
		floor = floors.get(row["role"])
		ratio = ""
		if floor and row["p95"] and row["name"] != FLOOR and not target.get("rps"):
			ratio = f"{row['p95'] / floor:.1f}"
		verdict, target_text = judge(row, target, floor, most_clients)
		legacy_row = (
			legacy.get((row["label"], row["users"])) if not row["name"].endswith(COUNT_SUFFIX) else None
		)
		legacy_text = ""
		if row["role"] == first_role and row["name"] != FLOOR:
			legacy_text = "—" if not legacy_row else fmt(legacy_row["p95"]) + error_mark(legacy_row)
		old = before.get(key(row))
		out.append(
			"| "
			+ " | ".join(
				[
					name,
					row["role"],
					str(row["n"]),
					fmt(row["median"]),
					fmt(row["p95"]),
					fmt(row["p99"]),
					fmt(row["rps"]),
					str(row["errors"]) if row["errors"] else "",
					ratio,
					target_text,
					verdict,
					legacy_text,
					delta(row, old, bool(target.get("rps"))),
				]
			)
			+ " |"
		)
	out += ["", *verdict_summary(rows, run, floors, most_clients)]
	out += side_by_side(run, legacy, first_role)
	out += memory(run)
	out += gapless(run)
	out += errors(run)
	out += parts(run)
	return "\n".join(out) + "\n"


def ordered(rows: list[dict], roles: list[str]) -> list[dict]:
	"""By request (in the order of the run), its count after it, then by clients and role."""
	scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
	return sorted(
		rows,
		key=lambda r: (
			scenarios.index(r["scenario"]),
			r["name"].endswith(COUNT_SUFFIX),
			r["users"],
			roles.index(r["role"]) if r["role"] in roles else len(roles),
		),
	)


def clients(n: int) -> str:
	return f" ({n} client{'s' if n > 1 else ''})"


def header(run: dict, previous) -> list[str]:
	meta, machine, server, load = (
		run["meta"],
		run["meta"]["machine"],
		run["meta"]["server"],
		run["meta"]["load"],
	)
	dirty = meta.get("uncommitted_app_changes")
	command = re.sub(r"^\S*/", "", server["gunicorn"])  # the bench's path says nothing
	words = ", ".join(f"{k} “{w['text']}” ({w['hits']} mails)" for k, w in meta["words"].items())
	filters = ", ".join(f"{k} = {v}" for k, v in meta["filters"].items())
	lines = [
		f"- **Run** {meta['date']} · commit `{meta['commit']}`"
		+ (f" with {dirty} uncommitted file(s) under apps/" if dirty else "")
		+ f" · {meta['minutes']} min",
		f"- **Site** `{meta['site']}`: {meta['mails']} mails at the start, {meta['registered']} registered by the run",
		f"- **Machine** {machine['nproc']} × {machine['cpu']}, {machine['ram_gib']} GiB RAM, kernel "
		f"{machine['kernel']}; load average {loadavg(machine['load_average_at_start'])} at the start, "
		f"{loadavg(machine.get('load_average_at_end'))} at the end (the machine is shared)",
		f"- **Server** MariaDB {server['mariadb']}, Frappe {server['frappe']}, "
		f"`{command}` ({server['workers']} workers), scheduler "
		f"{'disabled' if server['scheduler_disabled'] else 'enabled'}, site `rate_limit` "
		f"{server['rate_limit'] or 'not set'}",
		f"- **Load** {load['tool']}; {load['users']} users per reading scenario, registration at "
		f"{', '.join(map(str, load['clients']))} clients; {load['duration_s']:g} s measured after "
		f"{load['warmup_s']:g} s of warm-up, per scenario and role; {load['auth']}",
		"- **Roles** " + ", ".join(f"{role} `{user}`" for role, user in meta["roles"].items()),
		f"- **Data** words {words}; filters {filters}; register month "
		f"{meta['month']['from_date']} – {meta['month']['to_date']}",
	]
	if meta.get("legacy"):
		lines.append(f"- **Legacy** {meta['legacy']['url']} as `{meta['legacy']['user']}`")
	lines.append(
		f"- **Compared with** `{previous[0]}` (commit `{previous[1]['meta']['commit']}`)"
		if previous
		else "- **Compared with** no earlier run of this size"
	)
	by_target = {}
	for label, target in run["targets"].items():
		if target["text"] != "—":
			by_target.setdefault(target["text"], []).append(label)
	most = max(load["clients"])
	lines.append(
		"- **Targets** (DESIGN.md, stated for 1 000 000 mails): "
		+ "; ".join(
			f"{text}{f' at {most} clients' if '/s' in text else ''}: {', '.join(labels)}"
			for text, labels in by_target.items()
		)
		+ "; registration numbers gapless"
	)
	return [*lines, ""]


def judge(row: dict, target: dict, floor: float | None, most_clients: int) -> tuple[str, str]:
	if target.get("rps"):
		if row["users"] != most_clients:
			return "", ""
		ok = row["rps"] >= target["rps"] and not row["errors"]
		return ("yes" if ok else "**NO**"), f"≥ {target['rps']:g}/s"
	if not target.get("p95_ms"):
		return "", ""
	text = f"≤ {target['p95_ms']:g}"
	if row["p95"] is None or row["errors"]:
		return "**NO**", text
	if row["p95"] <= target["p95_ms"]:
		return "yes", text
	if target.get("floor_rule") and floor and row["p95"] <= FLOOR_FACTOR * floor:
		return f"yes (≤ {FLOOR_FACTOR}× floor)", text
	return "**NO**", text


def verdict_summary(rows, run, floors, most_clients) -> list[str]:
	judged = [
		judge(r, run["targets"].get(r["label"], {}), floors.get(r["role"]), most_clients)[0] for r in rows
	]
	passed = sum(v.startswith("yes") for v in judged)
	failed = [r for r, v in zip(rows, judged, strict=True) if v == "**NO**"]
	text = f"**{passed} of {passed + len(failed)} targets met.**"
	missed = {}
	for r in failed:
		missed.setdefault(r["name"], []).append(r["role"])
	if missed:
		text += (
			" Missed: " + "; ".join(f"{name} ({', '.join(roles)})" for name, roles in missed.items()) + "."
		)
	return [text, ""]


def side_by_side(run, legacy, first_role) -> list[str]:
	if not legacy:
		return []
	gec = {
		(r["name"], r["users"]): r for r in run["results"] if r["system"] == "gec" and r["role"] == first_role
	}
	out = [
		"## Side by side with the legacy GEC",
		"",
		f"Same machine, same load; GEC as the {first_role}. The legacy's list shows its count inside the "
		"page; its search ORs the words (GEC: every word); its workspace is `/dashboard`, its statistics "
		"`/analytics`, its month register the list filtered on the month.",
		"",
		"| Request | GEC median | GEC p95 | legacy median | legacy p95 | legacy / GEC (p95) |",
		"|---|--:|--:|--:|--:|--:|",
	]
	for (name, users), old in legacy.items():
		new = gec.get((name, users))
		ratio = f"{old['p95'] / new['p95']:.2g}×" if new and new["p95"] and old["p95"] else ""
		label = name + (clients(users) if run["targets"].get(name, {}).get("rps") else "")
		out.append(
			f"| {label} | {fmt(new and new['median'])} | {fmt(new and new['p95'])} | {fmt(old['median'])} "
			f"| {fmt(old['p95'])}{error_mark(old)} | {ratio} |"
		)
	return [*out, ""]


def memory(run) -> list[str]:
	out = [
		"## Memory per worker",
		"",
		"| Server | when | workers | RSS MB (max) | PSS MB (max) |",
		"|---|---|--:|--:|--:|",
	]
	for system, data in run["memory"].items():
		for when in ("start", "end"):
			workers = data.get(when) or []
			if workers:
				rss = max(w["rss_mb"] or 0 for w in workers)
				pss = max(w["pss_mb"] or 0 for w in workers)
				out.append(f"| {system} | {when} | {len(workers)} | {rss:g} | {pss:g} |")
		if data.get("peak_rss_mb"):
			out.append(
				f"| {system} | peak after a scenario | | {data['peak_rss_mb']:g} | {data.get('peak_pss_mb', 0):g} |"
			)
	out += [
		"",
		"RSS counts the pages a worker shares with the master (`--preload`); PSS divides them among "
		"their users. Workers are recycled after 5 000 requests (± 500), as in production.",
		"",
	]
	return out


def gapless(run) -> list[str]:
	check = run.get("gapless") or {}
	if not check.get("series"):
		return ["## Registration numbers", "", "No registration in this run.", ""]
	out = [
		"## Registration numbers",
		"",
		f"Gapless: **{'yes' if check['ok'] else 'NO'}** (every series the run registered into holds each "
		"number from 1 to its counter once; queried on the site after the run).",
		"",
		"| Series | registered by the run | distinct | rows in series | highest | counter | missing |",
		"|---|--:|--:|--:|--:|--:|---|",
	]
	for s in check["series"]:
		missing = ", ".join(map(str, s["missing"])) + (" …" if s["missing_count"] > len(s["missing"]) else "")
		out.append(
			f"| {s['series']} | {s['registered_in_run']} | {s['distinct_in_run']} | {s['numbers']} | "
			f"{s['highest']} | {s['counter'] if s['counter'] is not None else '?'} | {missing or 'none'} |"
		)
	return [*out, ""]


def errors(run) -> list[str]:
	failed = [r for r in run["results"] if r["errors"]]
	if not failed:
		return []
	out = [
		"## Errors",
		"",
		"| System | Request | Role | users | errors | first error |",
		"|---|---|---|--:|--:|---|",
	]
	for r in failed:
		out.append(
			f"| {r['system']} | {r['name']} | {r['role']} | {r['users']} | {r['errors']} | {r['error_sample']} |"
		)
	return [*out, ""]


def parts(run) -> list[str]:
	rows = [r for r in run["results"] if r["part"]]
	if not rows:
		return []
	out = [
		"## Inside the composite requests",
		"",
		"Each request of the workspace (sent 6 at a time, like a browser) and of a registration.",
		"",
		"| Request | Role | users | n | median | p95 | errors |",
		"|---|---|--:|--:|--:|--:|--:|",
	]
	for r in sorted(rows, key=lambda r: (r["label"], r["users"], r["role"], -(r["p95"] or 0))):
		out.append(
			f"| {r['name']} | {r['role']} | {r['users']} | {r['n']} | {fmt(r['median'])} | {fmt(r['p95'])} "
			f"| {r['errors'] or ''} |"
		)
	return [*out, ""]


def fmt(value) -> str:
	if value is None:
		return "—"
	return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def error_mark(row) -> str:
	return f" ({row['errors']} errors)" if row["errors"] else ""


def delta(row: dict, old: dict | None, throughput: bool) -> str:
	field = "rps" if throughput else "p95"
	if not old or not old.get(field) or row.get(field) is None:
		return ""
	change = (row[field] - old[field]) / old[field] * 100
	return f"{change:+.0f} %"


def loadavg(values) -> str:
	return " / ".join(f"{v:.1f}" for v in values) if values else "?"


# ------------------------------------------------------------------ PNG


def chart(run: dict, path: Path):
	import matplotlib

	matplotlib.use("Agg")
	import matplotlib.pyplot as plt

	roles = list(run["meta"]["roles"])
	rows = [r for r in run["results"] if not r["part"] and not run["targets"].get(r["label"], {}).get("rps")]
	rows = ordered([r for r in rows if r["system"] == "gec"], roles) + [
		r for r in rows if r["system"] == "legacy"
	]
	names = list(dict.fromkeys(r["name"] for r in rows if r["system"] == "gec"))
	series = list(dict.fromkeys((r["system"], r["role"]) for r in rows))
	value = {(r["system"], r["role"], r["name"]): r["p95"] for r in rows}
	legacy_names = {r["label"]: r["name"] for r in rows if r["system"] == "legacy"}
	registrations = [
		r for r in run["results"] if not r["part"] and run["targets"].get(r["label"], {}).get("rps")
	]

	fig, (bars, throughput) = plt.subplots(
		1, 2, figsize=(15, max(6, 0.42 * len(names) + 2)), gridspec_kw={"width_ratios": [3, 1.3]}
	)
	height = 0.8 / max(len(series), 1)
	for i, (system, role) in enumerate(series):
		ys, xs = [], []
		for j, name in enumerate(names):
			lookup = legacy_names.get(name, name) if system == "legacy" else name
			v = value.get((system, role, lookup))
			if v:
				ys.append(j + i * height)
				xs.append(v)
		bars.barh(ys, xs, height=height, label=role if system == "gec" else f"legacy ({role})")
	for j, name in enumerate(names):
		label = next(r["label"] for r in rows if r["name"] == name)
		target = run["targets"].get(label, {}).get("p95_ms")
		if target:
			bars.plot([target, target], [j - 0.1, j + 0.9 - 0.1], color="black", linewidth=1.5)
	bars.set_yticks([j + 0.4 - height / 2 for j in range(len(names))], names, fontsize=8)
	bars.invert_yaxis()
	bars.set_xscale("log")
	bars.set_xlabel("p95 latency, ms (log scale); black tick: target")
	bars.legend(fontsize=8, loc="lower right")
	bars.grid(axis="x", alpha=0.3)
	bars.set_title(
		f"{run['meta']['count']:,} mails, commit {run['meta']['commit']}, {run['meta']['date'][:10]}"
	)

	for role in dict.fromkeys((r["system"], r["role"]) for r in registrations):
		points = sorted((r["users"], r["rps"]) for r in registrations if (r["system"], r["role"]) == role)
		throughput.plot(
			*zip(*points, strict=True), marker="o", label=role[1] if role[0] == "gec" else "legacy"
		)
	target = next((t["rps"] for t in run["targets"].values() if t.get("rps")), None)
	if target:
		throughput.axhline(target, color="black", linestyle="--", linewidth=1, label=f"target {target:g}/s")
	throughput.set_xscale("log", base=2)
	throughput.set_xticks(run["meta"]["load"]["clients"], [str(c) for c in run["meta"]["load"]["clients"]])
	throughput.set_ylim(bottom=0)
	throughput.set_xlabel("concurrent clients")
	throughput.set_ylabel("registrations per second")
	throughput.set_title("Registration with attachment")
	throughput.legend(fontsize=8)
	throughput.grid(alpha=0.3)
	fig.tight_layout()
	fig.savefig(path, dpi=110)
	plt.close(fig)


if __name__ == "__main__":
	main()
