#!/usr/bin/env bash
# Regenerates the Go code of the CRM plugin protocol from the .proto files.
# With --check it regenerates into a temporary folder and fails when the
# committed code differs (the staleness check .ci/run runs).
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$(go env GOPATH)/bin:$PATH"
out=.
if [ "${1:-}" = "--check" ]; then
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
fi
for v in v1; do
	mkdir -p "$out/$v"
	protoc -I . --go_out="$out" --go_opt=paths=source_relative \
		--go-grpc_out="$out" --go-grpc_opt=paths=source_relative "$v"/*.proto
done
if [ "${1:-}" = "--check" ]; then
	for f in v1/*.pb.go; do
		if ! diff -u "$f" "$out/$f"; then
			echo "adapters/crm/proto/$f is stale: run adapters/crm/proto/generate.sh" >&2
			exit 1
		fi
	done
	echo "adapters/crm/proto: generated code is up to date"
fi
