// Package crm is the host of Stronger Together's CRM plugins: another
// council connects the CRM it already runs by writing a small plugin
// process against adapters/crm/sdk, and this package starts it over
// hashicorp/go-plugin (protocol v1 in proto/v1, gRPC only, mutual TLS,
// the binary pinned by its SHA-256), calls it with deadlines, and syncs
// its records into the domains through their Services (Engine), with
// idempotency keys from each record's CRM id and version and a durable
// cursor.
package crm
