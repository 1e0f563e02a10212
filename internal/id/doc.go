// Package id makes identifiers for records the domain packages create.
//
// An identifier is a short prefix naming the kind of record, an underscore
// and 20 lower-case base32 characters of which the first 10 encode the
// creation time in milliseconds and the rest are random, so identifiers sort
// roughly by creation time and never collide in practice.
package id
