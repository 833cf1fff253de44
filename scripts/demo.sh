#!/usr/bin/env bash
# The main job on the sample corpus: installs missing system packages, builds in release,
# ingests examples/sample.jsonl into a fresh catalog, clusters its duplicates and prints its
# composition.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
bin=$(scripts/build-release.sh)
db=${CATALOG_DB:-.build/demo.db}
rm -f "$db" "$db-wal" "$db-shm"
echo "== catalog add examples/sample.jsonl --source-field source --domain-field domain"
"$bin" add --db "$db" examples/sample.jsonl --source-field source --domain-field domain 2>&1
echo
echo "== catalog dedup"
"$bin" dedup --db "$db" 2>&1
echo
echo "== catalog sources"
"$bin" sources --db "$db"
echo
echo "== catalog stats --by domain"
"$bin" stats --db "$db" --by domain
echo
echo "== catalog sql: tokens by domain without duplicates"
"$bin" sql --db "$db" "SELECT domain, count(*) AS docs, sum(tokens) AS tokens FROM docs WHERE duplicate_of IS NULL GROUP BY domain ORDER BY tokens DESC"
echo
echo "== catalog sql: the largest documents with their first words"
"$bin" sql --db "$db" "SELECT doc_key, source, domain, tokens, substr(replace(doc_text(document_id), char(10), ' '), 1, 50) AS start FROM docs ORDER BY tokens DESC, doc_key LIMIT 5"
echo
echo "== catalog recipe add examples/recipes/sample-mix.yaml"
"$bin" recipe add --db "$db" examples/recipes/sample-mix.yaml 2>&1
echo
echo "== catalog plan sample-mix"
"$bin" plan --db "$db" sample-mix 2>&1
echo
echo "== catalog materialize sample-mix --out .build/sample-mix --overwrite"
"$bin" materialize --db "$db" sample-mix --out .build/sample-mix --overwrite 2>&1
ls -l .build/sample-mix
echo
echo "== catalog sql: which mixes contain the 1916 newspaper pages"
"$bin" sql --db "$db" "SELECT doc_key, recipe, version, run, phase, component, times FROM document_mixes WHERE source = 'chronam-1916' ORDER BY times DESC, doc_key LIMIT 5"
