package timebank

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseExchanges feeds arbitrary files to the import parser: it must
// never panic, every row it accepts must be well formed, and every problem
// must name a line of the file.
func FuzzParseExchanges(f *testing.F) {
	f.Add("date,giver,receiver,hours,category,description\n2025-03-01,mem_a,mem_b,1.5,gardening,weeding\n")
	f.Add("date,giver,receiver,minutes\n2025-03-01T10:00:00Z,a@example.org,b@example.org,45\n")
	f.Add("date,giver,receiver,hours\n2025-02-30,a,a,-1\n\"unterminated,\n")
	f.Add("\ufeffDate, Giver ,RECEIVER,Hours\n2025-03-01,a,b,0.333\n")
	f.Add("")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, file string) {
		rows, errs := parseExchanges(strings.NewReader(file), now)
		lines := strings.Count(file, "\n") + 1
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
		for _, r := range rows {
			switch {
			case r.minutes <= 0 || r.minutes > 24*60*366:
				t.Fatalf("line %d: accepted %d minutes", r.line, r.minutes)
			case r.date.After(now) || r.date.IsZero():
				t.Fatalf("line %d: accepted date %v", r.line, r.date)
			case r.giver == "" || r.receiver == "" || strings.EqualFold(r.giver, r.receiver):
				t.Fatalf("line %d: accepted giver %q receiver %q", r.line, r.giver, r.receiver)
			}
		}
	})
}
