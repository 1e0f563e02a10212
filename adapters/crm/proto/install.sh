#!/usr/bin/env bash
# Installs the code generators for the CRM plugin protocol at pinned
# versions: protoc from Debian's protobuf-compiler package (when missing),
# and protoc-gen-go and protoc-gen-go-grpc from the Go module proxy into
# $(go env GOPATH)/bin. The versions here decide the generated code:
# change them together with a regeneration (proto/generate.sh).
set -euo pipefail
PROTOC_GEN_GO_VERSION=v1.36.12
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2
have() { command -v "$1" >/dev/null 2>&1; }
if ! have protoc; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler >/dev/null
fi
GOFLAGS=-mod=mod go install "google.golang.org/protobuf/cmd/protoc-gen-go@${PROTOC_GEN_GO_VERSION}"
GOFLAGS=-mod=mod go install "google.golang.org/grpc/cmd/protoc-gen-go-grpc@${PROTOC_GEN_GO_GRPC_VERSION}"
