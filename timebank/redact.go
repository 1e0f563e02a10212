package timebank

import (
	"fmt"
	"log/slog"
)

// redacted stands in for a name or contact detail in logs and in %v.
const redacted = "[redacted]"

// mask returns redacted for a non-empty value, so a log shows whether a
// field was set but never what it holds.
func mask(v string) string {
	if v == "" {
		return ""
	}
	return redacted
}

// LogValue logs the member by id, bank, kind, role and status; their name
// and contact details are redacted.
func (m Member) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", m.ID), slog.String("bank", m.Bank), slog.String("kind", string(m.Kind)),
		slog.String("role", string(m.Role)), slog.String("status", string(m.Status)),
		slog.String("name", mask(m.Name)), slog.String("email", mask(m.Email)), slog.String("phone", mask(m.Phone)),
		slog.Int64("version", m.Version))
}

// String describes the member for %v and %s, with their name and contact
// details redacted.
func (m Member) String() string {
	return fmt.Sprintf("Member{ID:%s Bank:%s Kind:%s Role:%s Status:%s Name:%s Email:%s Phone:%s Version:%d}",
		m.ID, m.Bank, m.Kind, m.Role, m.Status, mask(m.Name), mask(m.Email), mask(m.Phone), m.Version)
}

// GoString is String, so that %#v redacts too.
func (m Member) GoString() string { return m.String() }

// LogValue logs the request without the person's name and contact details.
func (m NewMember) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("bank", m.Bank), slog.String("kind", string(m.Kind)), slog.String("role", string(m.Role)),
		slog.String("name", mask(m.Name)), slog.String("email", mask(m.Email)), slog.String("phone", mask(m.Phone)))
}

// String describes the request for %v and %s, with the person's name and
// contact details redacted.
func (m NewMember) String() string {
	return fmt.Sprintf("NewMember{Bank:%s Kind:%s Role:%s Name:%s Email:%s Phone:%s}",
		m.Bank, m.Kind, m.Role, mask(m.Name), mask(m.Email), mask(m.Phone))
}

// GoString is String, so that %#v redacts too.
func (m NewMember) GoString() string { return m.String() }

// LogValue logs which fields the update sets, never their values.
func (u MemberUpdate) LogValue() slog.Value { return slog.StringValue(u.String()) }

// String says which fields the update sets; names and contact details are
// redacted.
func (u MemberUpdate) String() string {
	set := func(p *string) string {
		if p == nil {
			return "-"
		}
		return redacted
	}
	role := "-"
	if u.Role != nil {
		role = string(*u.Role)
	}
	return fmt.Sprintf("MemberUpdate{Name:%s Email:%s Phone:%s Role:%s}", set(u.Name), set(u.Email), set(u.Phone), role)
}

// GoString is String, so that %#v redacts too.
func (u MemberUpdate) GoString() string { return u.String() }

// LogValue logs the request to open a bank by its name and settings; its
// coordinator's details are redacted.
func (b NewBank) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", b.Name), slog.Any("coordinator", b.Coordinator))
}

// String describes the request for %v, with the coordinator's details
// redacted.
func (b NewBank) String() string {
	return fmt.Sprintf("NewBank{Name:%s Confirmation:%s Coordinator:%s}", b.Name, b.Confirmation, b.Coordinator)
}

// GoString is String, so that %#v redacts too.
func (b NewBank) GoString() string { return b.String() }
