// Package storetest holds what the domains' conformance suites
// (timebanktest, grantstest, prescribingtest, outcomestest) share: running
// concurrent writers against a store and tallying what they got back.
package storetest
