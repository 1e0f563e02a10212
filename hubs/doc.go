// Package hubs runs community hubs: the buildings a community runs with
// trained volunteers, the people and groups who use them, and the
// Stronger Together directory of what is on offer across the borough.
//
// It implements these seed documents (../shared/seeds):
//
//   - 000_9c9ac428db090ba6.txt: the six hubs (South Ockendon Centre, opened
//     March 2013; Chadwell St Mary Centre, February 2014; Acorns Stifford
//     Clays, 2015; Tilbury Hub, re-opened June 2016; Purfleet Community
//     Hub, opening September 2016; Aveley Community Forum, a new build),
//     and the local offer each hub co-designs with residents (Hub,
//     Service.AgreeOffer).
//   - 001_4542023772105e30.txt: hubs as self-managing focal points,
//     promoting volunteering, and micro-enterprises: at most eight paid or
//     unpaid workers, totally independent of any larger organisation,
//     counted against a target of 25 (Enterprise, Service.EnterpriseCount).
//   - 002_1b2add304f5b5cad.txt: hubs run by trained volunteers (Volunteer,
//     Session), opening days (Hub.Hours), people who returned to work after
//     volunteering (WorkOutcome, recorded with consent).
//   - 003_49d17bfd52d1d2d8.txt: South Ockendon's first year as a pathfinder
//     hub — volunteer hours, volunteers, visits and footfall against the
//     building's previous use (Visit, Baseline, Report), regular groups
//     (Group), a Learning Fair (Event), drop-in and bookable advice
//     surgeries (Surgery, Booking, Waiting).
//   - 004_0627e1565051b8ba.txt: the directory as the one-stop shop, mapped
//     by Primary Care Network area (Listing, Location, Organization,
//     TaxonomyTerm, Service.Search); events in hubs and libraries; council
//     volunteer placements and their fill rate (Placement).
//
// The Service is the only door. Every write names its caller and an
// idempotency key (call.Write); every read of personal data (volunteers'
// and bookers' names and contacts) names its actor (call.Actor) and checks
// their role. Reports return only aggregates and check no role. The
// directory is public information and its reads check no role.
//
// Storage is behind Store; adapters/memory, adapters/sqlite and
// adapters/postgres implement it and pass hubstest.Run.
//
// The directory's types follow HSDS 3.0 / Open Referral UK v3
// (organization, service, location, service_at_location, schedule,
// contact, cost_option, taxonomy_term), so that an ORUK adapter maps them
// one to one. Its ids are UUIDs.
//
// The directory lives in this package, not a sub-package: it shares the
// hubs' Service, roles, first administrator, idempotent writes and Store
// (its locations are the hubs' buildings), and a sub-package would need a
// second Service, Store and Bootstrap for the same staff.
//
// The locality programmes that work beside the hubs (Local Area
// Coordination, Community Organisers, Community Builders) are in the
// sub-package hubs/locality; Service.WardCounts gives the hubs' column of
// the ward matrix it composes.
//
// Service.Activities has the shape of prescribing.Directory with this
// package's own types; the app wires the two with a small adapter, so that
// neither domain imports the other.
package hubs
