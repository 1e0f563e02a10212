// Package grantsrec holds the stored form of the grants domain's records,
// shared by adapters/sqlite and adapters/postgres: record types with JSON
// tags and a format version, their conversions to and from the grants
// types, and the checks of a Batch's ledger entries that only stores need.
//
// Format 1 ("v": 1) keeps the keys of the bodies written before it (the
// untagged grants structs, which had no "v"), so a body of either format is
// read by the same types. A change to a grants type never changes what is
// stored: the tags here do, and only with a new format version.
package grantsrec
