// Package timebank is a time-credit ledger for community time banks: one
// hour of help is one Time Credit, whatever the skill.
//
// It implements the Time Bank of Thurrock's Stronger Together partnership
// (seed documents 000, "Stronger Communities – Where are we now?", and 002,
// the Health and Wellbeing Board's "Community Resilience" report): members
// who are individuals or organisations, organisations running Mini Time
// Banks, credits earned for voluntary work already being done, a community
// pot that members donate to for people who have no credits, and exchanges
// confirmed by both sides or by a coordinator.
//
// The ledger is double-entry and immutable. Amounts are integer minutes
// (MinutesPerCredit = 60). Every transfer is postings that sum to zero, new
// credits enter only through each bank's issuing account, and so the
// balances of a bank network, issuing account included, always sum to
// zero. Balances are maintained by the store from postings, never edited.
//
// Service holds the rules; a Store persists. Stores are in adapters/memory,
// adapters/sqlite (the embedded default) and adapters/postgres, and all
// pass the conformance suite in timebank/timebanktest.
package timebank
