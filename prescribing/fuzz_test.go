package prescribing

import (
	"regexp"
	"strings"
	"testing"
)

// FuzzParseNHSNumber: the parser never panics; what it accepts is ten
// digits whose check digit is right, and parsing its normal or spaced form
// gives it back.
func FuzzParseNHSNumber(f *testing.F) {
	for _, s := range []string{"9990000018", "999 000 0018", "999-000-0018", "9990000019", "", "1000000060", "12345", "99900000180", "９４３"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNHSNumber(s)
		if err != nil {
			if n != "" {
				t.Fatalf("error with a number: %q", n)
			}
			if fe, ok := err.(*FieldError); !ok || fe.Field != "NHSNumber" {
				t.Fatalf("not a FieldError for NHSNumber: %v", err)
			}
			return
		}
		if len(n) != 10 || strings.Trim(string(n), "0123456789") != "" {
			t.Fatalf("accepted %q as %q", s, n)
		}
		d, ok := nhsCheckDigit([]byte(n[:9]))
		if !ok || n[9]-'0' != d {
			t.Fatalf("accepted %q with a wrong check digit", s)
		}
		for _, again := range []string{string(n), n.Spaced()} {
			if m, err := ParseNHSNumber(again); err != nil || m != n {
				t.Fatalf("%q does not parse back: %q, %v", again, m, err)
			}
		}
	})
}

// FuzzParseScores feeds arbitrary files to the score import parser: it
// never panics, every row it accepts is a valid NHS number with a score in
// range, no patient twice, and every problem names a line of the file.
func FuzzParseScores(f *testing.F) {
	f.Add("nhs_number,score\n999 000 0018,87.5\n999 000 0026,0\n")
	f.Add("NHS_Number , Score\n9990000018,100.000001\n9990000018,1\n")
	f.Add("nhs_number,score\n999 000 0019,x\n\"unterminated,\n")
	f.Add("\ufeffscore,nhs_number\n12,9990000018\n")
	f.Add("")
	f.Add("nhs_number\n9990000018\n")
	f.Fuzz(func(t *testing.T, file string) {
		rows, errs := parseScores(strings.NewReader(file), modelPARR)
		lines := strings.Count(file, "\n") + strings.Count(file, "\r") + 1
		for _, e := range errs {
			if e.Line < 1 || e.Line > lines {
				t.Fatalf("problem on line %d of a %d-line file: %v", e.Line, lines, e)
			}
			if e.Reason == "" {
				t.Fatalf("problem without a reason: %+v", e)
			}
		}
		if len(rows) == 0 && len(errs) == 0 {
			t.Fatal("no rows and no problems")
		}
		seen := map[NHSNumber]bool{}
		for _, r := range rows {
			if !r.nhs.Valid() || seen[r.nhs] {
				t.Fatalf("line %d: accepted NHS number %q", r.line, r.nhs)
			}
			seen[r.nhs] = true
			if modelPARR.check(r.score) != nil {
				t.Fatalf("line %d: accepted score %s", r.line, r.score)
			}
		}
	})
}

// FuzzParseUsage feeds arbitrary files to the usage import parser: it
// never panics; every person it accepts has a valid NHS number, appears
// once, has a before row, an after row or both, on distinct lines of the
// file, and counts Usage accepts; every problem names a line of the file and a
// reason; and no reason repeats a cell, so nothing shaped like an NHS
// number (ten digits, however spaced) reaches an error.
func FuzzParseUsage(f *testing.F) {
	const head = "nhs_number,period,ae_attendances,non_elective_admissions,gp_contacts\n"
	f.Add(head + "999 000 0018,before,2,1,10\n999 000 0018,after,1,0,6\n")
	f.Add(head + "999 000 0018,before,2,1,10\n999 000 0026,after,1,0,6\n")
	f.Add(head + "9990000018,BEFORE,0,0,0\n9990000018,before,1,1,1\n")
	f.Add(head + "9990000018,after,-1,2.5,2001\n4010232137,during,,x,3\n")
	f.Add("GP_Contacts , Period,NHS_Number,ae_attendances,non_elective_admissions\r\n3,after,401-023-2137,1,1\r\n")
	f.Add("9990000018,before,1,1,1\n")
	f.Add(head + "9990000018,before,1,1,\"unterminated\n")
	f.Add("")
	f.Add(head)
	f.Add(head + "9990000019,before,1,1,1\n9990000018,after,1,1,9990000018\n")
	digits := regexp.MustCompile(`\d{10}`)
	f.Fuzz(func(t *testing.T, file string) {
		rows, errs := parseUsage(strings.NewReader(file))
		lines := strings.Count(file, "\n") + strings.Count(file, "\r") + 1
		for _, e := range errs {
			if e.Line < 1 || e.Line > lines {
				t.Fatalf("problem on line %d of a %d-line file: %v", e.Line, lines, e)
			}
			if e.Reason == "" {
				t.Fatalf("problem without a reason: %+v", e)
			}
			squeezed := strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(e.Reason)
			if digits.MatchString(squeezed) {
				t.Fatalf("a reason repeats ten digits: %v", e)
			}
		}
		if len(rows) == 0 && len(errs) == 0 {
			t.Fatal("no rows and no problems")
		}
		seen := map[NHSNumber]bool{}
		for _, r := range rows {
			if !r.nhs.Valid() || seen[r.nhs] {
				t.Fatalf("lines %v: accepted NHS number %q", r.lines, r.nhs)
			}
			seen[r.nhs] = true
			if r.care.Before == nil && r.care.After == nil {
				t.Fatalf("lines %v: accepted a person with no window", r.lines)
			}
			if r.lines[0] == r.lines[1] {
				t.Fatalf("accepted a person's two windows on lines %v", r.lines)
			}
			for w, u := range []*Usage{r.care.Before, r.care.After} {
				l := r.lines[w]
				if (u == nil) != (l == 0) {
					t.Fatalf("window %d: line %d for usage %v", w, l, u)
				}
				if u == nil {
					continue
				}
				if l < 2 || l > lines {
					t.Fatalf("accepted a person on lines %v of a %d-line file", r.lines, lines)
				}
				if err := u.validate("Usage"); err != nil {
					t.Fatalf("line %d: %v", l, err)
				}
			}
		}
	})
}
