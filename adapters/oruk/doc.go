// Package oruk speaks Open Referral UK v3 (the UK profile of the Human
// Services Data Specification, HSDS 3.0) for the Stronger Together
// directory of the hubs package: the "one-stop shop" of seed
// 004_0627e1565051b8ba.txt, whose assets are mapped by Primary Care
// Network area.
//
// It has three parts:
//
//   - Export writes the directory as ORUK JSON (one page of fully nested
//     services, the shape GET /services returns), and the objects it
//     writes validate against the official ORUK v3 schemas committed in
//     schema/ (see schema/README.md for their source).
//   - Parse and Import read that JSON back: Parse checks every field the
//     ORUK schema requires and refuses the whole document with
//     ErrMissingField or ErrInvalid before Import writes anything.
//   - NewHandler serves the ORUK read API: level 1 (GET /, /services,
//     /services/{id}) and level 2 (taxonomies, taxonomy terms,
//     organizations, service-at-locations), with CORS open to every origin
//     and no API key. It reads only the hubs Service's public directory
//     reads and publishes of a contact only the name and title the ORUK
//     schema has.
//
// Optional fields without a value are left out, never sent as null or "".
// Ids are the directory's UUIDs; objects the directory does not store
// with ids of their own (taxonomies, addresses, attribute links) get
// name-based (version 5) UUIDs derived from the records they come from,
// so they are stable from one response to the next.
package oruk
