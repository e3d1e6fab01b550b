#!/bin/sh
# The sqlite3 CLI peer of bench_agg: load CSV answers (agent,score with a
# header row) into an in-memory table, then time only the GROUP BY query,
# once on the plain table and once with a covering index (built untimed).
# Prints two lines "plain SECONDS" and "indexed SECONDS".
# Usage: bench_agg_sqlite.sh ANSWERS.csv
# Exit 77 (and a message on stderr) when the sqlite3 CLI is not installed.
set -eu
csv=$1
if ! command -v sqlite3 >/dev/null 2>&1; then
  echo "sqlite3 CLI not found (apt-get install -y sqlite3)" >&2
  exit 77
fi
query='SELECT agent, count(*), avg(score), sum(score >= 4) FROM answers GROUP BY agent;'
sqlite3 :memory: <<SQL | sed -n 's/^Run Time: real \([0-9.]*\).*/\1/p' | {
CREATE TABLE answers(agent INTEGER NOT NULL, score INTEGER NOT NULL);
.mode csv
.import --skip 1 $csv answers
.output /dev/null
.timer on
$query
.timer off
CREATE INDEX answers_agent_score ON answers(agent, score);
.timer on
$query
SQL
  read -r plain && read -r indexed && printf 'plain %s\nindexed %s\n' "$plain" "$indexed"
}
