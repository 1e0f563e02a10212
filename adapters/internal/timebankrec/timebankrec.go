// Package timebankrec holds what the time bank stores share and users of
// package timebank must not see: the checks of a batch that only a store
// makes, and the text replacement an erasure asks for.
package timebankrec

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/strongertogether/community/timebank"
)

// CheckRecords reports a nil record in b, or a versioned record whose
// Version is below 1: nothing a store could write. Stores call it before
// anything else; it wraps timebank.ErrInvalid.
func CheckRecords(b *timebank.Batch) error {
	bad := func(what string, i int, reason string) error {
		return &timebank.FieldError{Field: what, Reason: fmt.Sprintf("entry %d %s", i, reason)}
	}
	for i, r := range b.Admins {
		if r == nil || r.ID == "" {
			return bad("Admins", i, "is nil or has no id")
		}
	}
	for i, r := range b.Banks {
		if r == nil {
			return bad("Banks", i, "is nil")
		} else if r.Version < 1 {
			return bad("Banks", i, fmt.Sprintf("has Version %d; records start at 1", r.Version))
		}
	}
	for i, r := range b.Members {
		if r == nil {
			return bad("Members", i, "is nil")
		} else if r.Version < 1 {
			return bad("Members", i, fmt.Sprintf("has Version %d; records start at 1", r.Version))
		}
	}
	for i, r := range b.Accounts {
		if r == nil {
			return bad("Accounts", i, "is nil")
		}
	}
	for i, r := range b.Listings {
		if r == nil {
			return bad("Listings", i, "is nil")
		} else if r.Version < 1 {
			return bad("Listings", i, fmt.Sprintf("has Version %d; records start at 1", r.Version))
		}
	}
	for i, r := range b.Exchanges {
		if r == nil {
			return bad("Exchanges", i, "is nil")
		} else if r.Version < 1 {
			return bad("Exchanges", i, fmt.Sprintf("has Version %d; records start at 1", r.Version))
		}
	}
	for i, r := range b.Transfers {
		if r == nil {
			return bad("Transfers", i, "is nil")
		}
	}
	return nil
}

// Redactor returns a function that replaces every occurrence of any of
// e's terms, in any case, by e.With. It returns nil when e has no terms.
func Redactor(e *timebank.Erasure) func(string) string {
	var alts []string
	for _, t := range e.Terms {
		if t != "" {
			alts = append(alts, regexp.QuoteMeta(t))
		}
	}
	if len(alts) == 0 {
		return nil
	}
	// The longest first, so that a term inside another goes with it.
	sort.SliceStable(alts, func(i, j int) bool { return len(alts[i]) > len(alts[j]) })
	re := regexp.MustCompile("(?i)" + strings.Join(alts, "|"))
	return func(s string) string {
		if s == "" {
			return s
		}
		return re.ReplaceAllLiteralString(s, e.With)
	}
}

// Network is the id of the network a bank belongs to: its parent, or the
// bank itself when it is a borough bank.
func Network(b *timebank.Bank) string {
	if b.Parent != "" {
		return b.Parent
	}
	return b.ID
}

// EmailTaken is the error a store returns when a member's email is given by
// another member of the same network.
func EmailTaken() error {
	return &timebank.FieldError{Field: "Email", Err: timebank.ErrConflict,
		Reason: "another member of this time bank network gives this email address"}
}

// EmailKey is the key under which a store keeps one email per network: the
// address in lower case, folded in Go over all of Unicode as the Service
// compares addresses, and not by SQL's lower(), which folds only ASCII in
// SQLite and under PostgreSQL's "C" collation. "" for no email.
func EmailKey(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}
