"""Structural checks of infra/temporal/values.postgresql.yaml (the official chart is not vendored).

Checks what FlowSteer relies on: both stores on the SQL plugin postgres12, passwords only by Secret,
a power-of-two shard count, the bundled databases off, admin-tools and server on one version, and
that infra/temporal/schema-job.yaml migrates both databases with that same version.
Usage: python check-temporal-values.py <values.yaml> <schema-job.yaml>
"""
import sys

import yaml

errors: list[str] = []


def need(cond: bool, msg: str) -> None:
    if not cond:
        errors.append(msg)


def get(d, path):
    for key in path.split("."):
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


values = yaml.safe_load(open(sys.argv[1]))
job = yaml.safe_load(open(sys.argv[2]))

shards = get(values, "server.config.numHistoryShards")
need(isinstance(shards, int) and shards > 0 and shards & (shards - 1) == 0, f"numHistoryShards must be a power of two, got {shards!r}")
persist = get(values, "server.config.persistence") or {}
for store in (persist.get("defaultStore"), persist.get("visibilityStore")):
    s = persist.get(store) or {}
    sql = s.get("sql") or {}
    need(s.get("driver") == "sql", f"store {store}: driver must be sql")
    need(sql.get("driver") == "postgres12", f"store {store}: sql.driver must be postgres12 (visibility on PostgreSQL needs it)")
    need("password" not in sql, f"store {store}: no password in values; use existingSecret")
    need(bool(sql.get("existingSecret")), f"store {store}: existingSecret must name the password Secret")
    need(bool(sql.get("database")), f"store {store}: database missing")
dbs = {get(persist, f"{persist.get('defaultStore')}.sql.database"), get(persist, f"{persist.get('visibilityStore')}.sql.database")}
need(len(dbs) == 2, "default and visibility stores must use two databases")
for bundled in ("elasticsearch", "cassandra", "mysql", "postgresql", "prometheus", "grafana"):
    need(get(values, f"{bundled}.enabled") is False, f"{bundled}.enabled must be false (the platform provides it)")
server_tag = get(values, "server.image.tag")
need(get(values, "admintools.image.tag") == server_tag, "admintools.image.tag must equal server.image.tag")
for name in ("frontend", "history", "matching", "worker"):
    need(bool(get(values, f"server.{name}.resources.requests")), f"server.{name}.resources.requests missing")

need(job.get("kind") == "Job", "schema-job.yaml: not a Job")
container = job["spec"]["template"]["spec"]["containers"][0]
need(container["image"].endswith(":" + str(server_tag)), f"schema-job image {container['image']} must use tag {server_tag}")
script = "\n".join(container.get("args", []))
for db in dbs:
    need(db in script, f"schema-job does not migrate database {db}")
need("--plugin postgres12" in script, "schema-job must use --plugin postgres12")

if errors:
    print("temporal values: FAILED")
    for e in errors:
        print("  - " + e)
    sys.exit(1)
print(f"temporal values: ok (postgres12 for {sorted(dbs)}, {shards} history shards, server/admin-tools {server_tag})")
