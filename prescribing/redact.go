package prescribing

import (
	"fmt"
	"log/slog"
)

// Personal data never reaches a log or a formatted string by accident:
// NHSNumber, Patient and Staff redact themselves in slog (LogValue) and in
// fmt (String for %v and %s, GoString for %#v). Code that must show a
// patient's number to a user allowed to see it reads the field
// (string(p.NHSNumber), or NHSNumber.Spaced).

// redacted stands for a value kept out of logs and formatted strings.
const redacted = "[redacted]"

// String returns "[nhs number]": the number is kept out of %v and %s.
// Use string(n) or Spaced to show it to a user allowed to see it.
func (n NHSNumber) String() string { return "[nhs number]" }

// GoString keeps the number out of %#v.
func (n NHSNumber) GoString() string { return n.String() }

// LogValue logs the patient's ids only: never the NHS number, name or
// area.
func (p Patient) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", p.ID), slog.String("practice", p.Practice))
}

// String describes the patient by id, for %v and %s: never the NHS
// number, name or area.
func (p Patient) String() string {
	return fmt.Sprintf("patient %s of practice %s (NHS number, name and area %s)", p.ID, p.Practice, redacted)
}

// GoString is String, for %#v.
func (p Patient) GoString() string { return p.String() }

// LogValue logs the member of staff by id and role, never their name.
func (s Staff) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", s.ID), slog.String("role", string(s.Role)))
}

// String describes the member of staff by id and role, for %v and %s:
// never their name.
func (s Staff) String() string { return fmt.Sprintf("%s %s (name %s)", s.Role, s.ID, redacted) }

// GoString is String, for %#v.
func (s Staff) GoString() string { return s.String() }

// LogValue logs the request by practice only: never the NHS number, name
// or area.
func (p NewPatient) LogValue() slog.Value {
	return slog.GroupValue(slog.String("practice", p.Practice))
}

// String describes the request by practice, for %v and %s.
func (p NewPatient) String() string {
	return fmt.Sprintf("new patient of practice %s (NHS number, name and area %s)", p.Practice, redacted)
}

// GoString is String, for %#v.
func (p NewPatient) GoString() string { return p.String() }

// LogValue logs the request by role only, never the name.
func (s NewStaff) LogValue() slog.Value { return slog.GroupValue(slog.String("role", string(s.Role))) }

// String describes the request by role, for %v and %s.
func (s NewStaff) String() string { return fmt.Sprintf("new %s (name %s)", s.Role, redacted) }

// GoString is String, for %#v.
func (s NewStaff) GoString() string { return s.String() }

// String describes the filter with the number of NHS numbers it holds,
// never the numbers.
func (f PatientFilter) String() string {
	return fmt.Sprintf("PatientFilter{Practice:%s NHSNumbers:%d Offset:%d Limit:%d}", f.Practice, len(f.NHSNumbers), f.Offset, f.Limit)
}

// GoString is String, so that %#v redacts too.
func (f PatientFilter) GoString() string { return f.String() }

// LogValue logs the filter without its NHS numbers.
func (f PatientFilter) LogValue() slog.Value {
	return slog.GroupValue(slog.String("practice", f.Practice), slog.Int("nhs_numbers", len(f.NHSNumbers)),
		slog.Int("offset", f.Offset), slog.Int("limit", f.Limit))
}
