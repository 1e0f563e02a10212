// Package email checks email addresses the domains keep.
package email

import "net/mail"

// Valid reports whether s is a bare email address ("jo@example.org"):
// one net/mail parses as an address and writes back unchanged, with no
// display name, angle brackets or comment.
func Valid(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}
