"""Runs every scenario of locustfile.py, for each role, with locust's library API, one after the
other, and writes the raw numbers (every latency percentile from every sample, not locust's
rounded buckets) as JSON for report.py. Called by run.sh, which prepares the site and serves it."""

import argparse
import json
import os
import platform
import re
import time
from datetime import datetime
from pathlib import Path

from locust.env import Environment
from locustfile import PART, SCENARIOS, GecDesk, LegacyGec, legacy_session


def main():
	args = parse_args()
	plan = json.loads(Path(args.plan).read_text())
	roles = args.roles.split()
	clients = [int(c) for c in args.clients.split()]
	selected = [s for s in SCENARIOS.values() if re.search(args.only or ".", s.key)]
	legacy = None
	if args.legacy_url:
		legacy = legacy_session(args.legacy_url, args.legacy_user, os.environ["GEC_LEGACY_PASSWORD"])
	registered: list[str] = []
	memory = {"gec": {"start": workers_memory(args.port)}}
	if legacy:
		memory["legacy"] = {"start": workers_memory(port_of(args.legacy_url))}
	started = time.time()
	host = machine()
	results = []

	for scenario in selected:
		levels = clients if scenario.writes else [args.users]
		for role in roles:
			account = plan["users"][role]
			if scenario.writes and not account["can_register"]:
				continue
			for users in levels:
				print(f"  {scenario.key:18} {role:12} {users:2} users", flush=True)
				user_class = type(
					"Gec",
					(GecDesk,),
					{"scenario": scenario.key, "role": role, "plan": plan, "registered_names": registered},
				)
				samples = measure(user_class, args.host, users, args.warmup, args.duration)
				results += summarise(samples, "gec", scenario, role, users, args.duration)
				peak(memory["gec"], workers_memory(args.port))
		if legacy and scenario.legacy and (not scenario.writes or args.legacy_register):
			for users in clients if scenario.writes else [args.users]:
				print(f"  {scenario.key:18} {'legacy':12} {users:2} users", flush=True)
				user_class = type(
					"Legacy",
					(LegacyGec,),
					{"scenario": scenario.key, "plan": plan, "legacy": legacy, "host": args.legacy_url},
				)
				samples = measure(user_class, args.legacy_url, users, args.warmup, args.duration)
				results += summarise(samples, "legacy", scenario, args.legacy_user, users, args.duration)
				peak(memory["legacy"], workers_memory(port_of(args.legacy_url)))

	memory["gec"]["end"] = workers_memory(args.port)
	if legacy:
		memory["legacy"]["end"] = workers_memory(port_of(args.legacy_url))
	Path(args.registered).write_text("".join(f"{name}\n" for name in registered))
	raw = {
		"meta": {
			"date": datetime.now().astimezone().isoformat(timespec="seconds"),
			"commit": args.commit,
			"uncommitted_app_changes": int(args.dirty),
			"count": args.count,
			"site": args.site,
			"mails": plan["mails"],
			"minutes": round((time.time() - started) / 60, 1),
			"machine": host | {"load_average_at_end": os.getloadavg()},
			"server": {
				"gunicorn": args.gunicorn,
				"workers": len(memory["gec"]["start"]),
				**plan["facts"],
			},
			"load": {
				"tool": f"locust {locustfile_version()} (FastHttpUser, no think time)",
				"users": args.users,
				"clients": clients,
				"duration_s": args.duration,
				"warmup_s": args.warmup,
				"auth": "API key per user (Authorization: token), no sign-in per request",
			},
			"words": plan["words"],
			"filters": plan["filters"],
			"month": plan["month"],
			"roles": {role: plan["users"][role]["user"] for role in roles},
			"registered": len(registered),
			"legacy": {"url": args.legacy_url, "user": args.legacy_user} if legacy else None,
		},
		"targets": {s.label: vars(s.target) | {"text": s.target.describe()} for s in SCENARIOS.values()},
		"results": results,
		"memory": memory,
	}
	Path(args.out).write_text(json.dumps(raw, indent=1))


def parse_args():
	parser = argparse.ArgumentParser(description=__doc__)
	for name in ("plan", "host", "site", "out", "registered", "gunicorn", "commit"):
		parser.add_argument(f"--{name}", required=True)
	parser.add_argument("--count", type=int, required=True)
	parser.add_argument("--port", type=int, required=True)
	parser.add_argument("--dirty", default="0")
	parser.add_argument("--duration", type=float, default=12)
	parser.add_argument("--warmup", type=float, default=2)
	parser.add_argument("--users", type=int, default=2)
	parser.add_argument("--clients", default="1 4 16")
	parser.add_argument("--roles", default="SG clerk Gestionnaire")
	parser.add_argument("--only", default="")
	parser.add_argument("--legacy-url", default="")
	parser.add_argument("--legacy-user", default="")
	parser.add_argument("--legacy-register", action="store_true")
	return parser.parse_args()


def measure(user_class, host: str, users: int, warmup: float, duration: float) -> list[tuple]:
	"""(name, milliseconds, error) of every request that ended inside the measured window."""
	samples = []
	window = {}
	env = Environment(user_classes=[user_class], host=host)

	def on_request(name, response_time, exception, **_):
		now = time.monotonic()
		if window.get("start", now + 1) <= now <= window.get("end", now):
			samples.append((name, response_time, repr(exception) if exception else None))

	env.events.request.add_listener(on_request)
	runner = env.create_local_runner()
	runner.start(users, spawn_rate=users)
	time.sleep(warmup)
	window["start"] = time.monotonic()
	window["end"] = window["start"] + duration
	time.sleep(duration)
	runner.quit()
	return samples


def summarise(samples, system: str, scenario, role: str, users: int, duration: float) -> list[dict]:
	by_name = {}
	for name, ms, error in samples:
		by_name.setdefault(name, []).append((ms, error))
	rows = []
	for name, values in by_name.items():
		times = sorted(ms for ms, error in values if not error)
		errors = [error for _ms, error in values if error]
		rows.append(
			{
				"system": system,
				"scenario": scenario.key,
				"label": scenario.label,
				"name": name,
				"part": PART in name,
				"role": role,
				"users": users,
				"n": len(times),
				"errors": len(errors),
				"error_sample": errors[0][:300] if errors else None,
				"median": percentile(times, 50),
				"p95": percentile(times, 95),
				"p99": percentile(times, 99),
				"mean": round(sum(times) / len(times), 2) if times else None,
				"max": round(times[-1], 2) if times else None,
				"rps": round(len(times) / duration, 2),
			}
		)
	return rows


def percentile(ordered: list[float], p: float) -> float | None:
	"""Linear interpolation between the closest ranks (numpy's default)."""
	if not ordered:
		return None
	rank = (len(ordered) - 1) * p / 100
	low = int(rank)
	high = min(low + 1, len(ordered) - 1)
	return round(ordered[low] + (ordered[high] - ordered[low]) * (rank - low), 2)


# ------------------------------------------------------------------ memory per worker


def port_of(url: str) -> int:
	match = re.search(r":(\d+)", url.split("//", 1)[-1])
	return int(match.group(1)) if match else 80


def listening_pids(port: int) -> set[int]:
	"""Processes holding the listening socket of 127.0.0.1:`port` (gunicorn's master and workers)."""
	inodes = set()
	for table in ("/proc/net/tcp", "/proc/net/tcp6"):
		try:
			lines = Path(table).read_text().splitlines()[1:]
		except OSError:
			continue
		for line in lines:
			cols = line.split()
			if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:
				inodes.add(f"socket:[{cols[9]}]")
	pids = set()
	for proc in Path("/proc").iterdir():
		if not proc.name.isdigit():
			continue
		try:
			if any(os.readlink(fd) in inodes for fd in (proc / "fd").iterdir()):
				pids.add(int(proc.name))
		except OSError:
			continue
	return pids


def workers_memory(port: int) -> list[dict]:
	"""RSS and PSS (shared pages divided among their users: --preload shares a lot) per worker."""
	pids = listening_pids(port)
	parents = {pid: status_field(pid, "PPid") for pid in pids}
	workers = [pid for pid in pids if parents[pid] in pids] or sorted(pids)
	rows = []
	for pid in sorted(workers):
		rss = status_field(pid, "VmRSS")
		pss = None
		try:
			for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
				if line.startswith("Pss:"):
					pss = int(line.split()[1])
		except OSError:
			pass
		rows.append({"pid": pid, "rss_mb": mb(rss), "pss_mb": mb(pss)})
	return rows


def status_field(pid: int, key: str) -> int | None:
	try:
		for line in Path(f"/proc/{pid}/status").read_text().splitlines():
			if line.startswith(key + ":"):
				return int(line.split()[1])
	except OSError:
		return None
	return None


def mb(kib: int | None) -> float | None:
	return round(kib / 1024, 1) if kib is not None else None


def peak(memory: dict, now: list[dict]):
	for key in ("rss_mb", "pss_mb"):
		values = [w[key] for w in now if w[key] is not None]
		if values:
			memory[f"peak_{key}"] = max(memory.get(f"peak_{key}", 0), max(values))


# ------------------------------------------------------------------ the machine


def machine() -> dict:
	cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
	total = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
	return {
		"nproc": os.cpu_count(),
		"cpu": cpu.group(1).strip() if cpu else platform.processor(),
		"ram_gib": round(int(total.group(1)) / 1024 / 1024, 1) if total else None,
		"kernel": platform.release(),
		"python": platform.python_version(),
		"load_average_at_start": os.getloadavg(),
	}


def locustfile_version() -> str:
	from importlib.metadata import version

	return version("locust")


if __name__ == "__main__":
	main()
