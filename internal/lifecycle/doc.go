// Package lifecycle checks moves between the states of a record against a
// table of allowed transitions, for the domains whose records follow an
// explicit state machine (grant applications, referrals).
package lifecycle
