// Package crm is the host of Stronger Together's CRM plugins: another
// council connects the CRM it already runs by writing a small plugin
// process against adapters/crm/sdk, and this package starts it over
// hashicorp/go-plugin (protocol v1 in proto/v1, gRPC only, mutual TLS,
// the binary pinned by its SHA-256), calls it with deadlines, and syncs
// its records into the domains through their Services (Engine), with
// idempotency keys from each record's CRM id and version and a durable
// cursor.
//
// Each kind of record is stored by an Applier that writes through one
// domain's Service: TimebankMembers (people and organisations),
// HubsVolunteers, HubsSessions, HubsOrganisations, HubEvents,
// HubVisits, GrantApplications and PrescribingReferrals; an applier
// resolves a record's reference to another record of the CRM (a
// session's volunteer) with LinkOf. The other way, a Feed
// pushes a domain's events to the CRM (GrantAwards, ReferralStatuses,
// MembersJoined), at least once, after a high-water mark kept in Marks.
package crm
