package prescribing_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"

	rx "github.com/strongertogether/community/prescribing"
)

// TestRedaction: logging or formatting a patient or a member of staff, in
// any of the usual ways, never prints the NHS number or a name.
func TestRedaction(t *testing.T) {
	p := &rx.Patient{ID: "pat-1", Practice: "prc-1", NHSNumber: "9990000018", Name: "Ada Quux", Area: "Tilbury"}
	st := &rx.Staff{ID: "stf-1", Name: "Dr Zed Quux", Role: rx.RoleGP}
	var out bytes.Buffer
	for _, h := range []slog.Handler{slog.NewTextHandler(&out, nil), slog.NewJSONHandler(&out, nil)} {
		l := slog.New(h)
		l.Info("patient", "patient", p, "value", *p, "nhs", p.NHSNumber, "staff", st, "staffValue", *st)
		l.Info("any", slog.Any("patient", p), slog.Any("staff", st))
	}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		fmt.Fprintf(&out, f+"\n", p)
		fmt.Fprintf(&out, f+"\n", *p)
		fmt.Fprintf(&out, f+"\n", []*rx.Patient{p})
		fmt.Fprintf(&out, f+"\n", st)
		fmt.Fprintf(&out, f+"\n", p.NHSNumber)
	}
	fmt.Fprintln(&out, p, *st, p.NHSNumber)
	np := rx.NewPatient{Practice: "prc-1", NHSNumber: "999 000 0018", Name: "Ada Quux", Area: "Tilbury"}
	ns := rx.NewStaff{Name: "Dr Zed Quux", Role: rx.RoleGP}
	fmt.Fprintf(&out, "%v %+v %#v %s %v %+v %#v\n", np, np, np, &np, ns, ns, &ns)
	slog.New(slog.NewJSONHandler(&out, nil)).Info("request", "patient", np, "staff", &ns)
	pf := rx.PatientFilter{Practice: "prc-1", NHSNumbers: []rx.NHSNumber{"9990000018"}}
	slog.New(slog.NewJSONHandler(&out, nil)).Info("filter", "f", pf)
	fmt.Fprintf(&out, "%v %+v %#v\n", pf, pf, pf)
	s := out.String()
	assert.Contains(t, s, "pat-1", "the ids are logged")
	assert.Contains(t, s, "stf-1")
	for _, secret := range []string{"9990000018", "999 000 0018", "Ada", "Quux", "Tilbury"} {
		assert.NotContains(t, s, secret)
	}
}
