package prescribing

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/csvrow"
)

// UsageImport asks to import a practice's secondary care use from a CSV
// file with the columns UsageColumns: per person, a row for the 12 months
// before referral (period "before"), a row for the 12 months after (period
// "after"), or both, each with the counts of A&E attendances, non-elective
// admissions and GP contacts in that window — what RecordUsage records one
// person at a time. The windows usually arrive in two files: the before
// rows around the time of referral, the after rows a year later.
type UsageImport struct {
	Practice string
	File     io.Reader
}

// UsageImportResult is what an import recorded: the referrals whose
// SecondaryCare it updated, ordered by id.
type UsageImportResult struct {
	Practice  string
	Referrals []string
}

// UsageColumns are the columns of a usage file, all required:
//
//	nhs_number               the patient's NHS number, in any usual form
//	period                   "before" or "after": the 12 months before or after referral
//	ae_attendances           A&E attendances in the window
//	non_elective_admissions  non-elective admissions in the window
//	gp_contacts              GP contacts in the window
//
// Counts are whole numbers, 0 or more, within the bounds RecordUsage
// accepts. Each person has at most one "before" and at most one "after"
// row in a file; a file may hold only before rows, only after rows, or
// both.
func UsageColumns() []string {
	return []string{"nhs_number", "period", "ae_attendances", "non_elective_admissions", "gp_contacts"}
}

// Periods of a usage file.
const (
	PeriodBefore = "before" // the 12 months before referral
	PeriodAfter  = "after"  // the 12 months after referral
)

// usageRow is one person of a parsed usage file: the windows the file
// gives (nil when it has no row for one), and the lines they came from
// (before, after; 0 when absent).
type usageRow struct {
	lines [2]int
	nhs   NHSNumber
	care  SecondaryCare
}

// usageCount is one count column: its name, where it goes in Usage and its
// upper bound (the bounds of Usage.validate).
var usageCounts = []struct {
	col  string
	most int
	set  func(u *Usage, v int)
}{
	{"ae_attendances", 366, func(u *Usage, v int) { u.AE = v }},
	{"non_elective_admissions", 366, func(u *Usage, v int) { u.Admissions = v }},
	{"gp_contacts", 2000, func(u *Usage, v int) { u.GPContacts = v }},
}

// parseCount reads a count: digits only. Its reasons never repeat the
// value, which could be an NHS number in the wrong column.
func parseCount(s string, most int) (int, string) {
	switch {
	case s == "":
		return 0, "is required"
	}
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	if s == "" {
		return 0, "is not a whole number"
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, "is not a whole number"
		}
	}
	if neg {
		return 0, "is negative; a count is 0 or more"
	}
	if len(s) > 9 {
		return 0, fmt.Sprintf("is more than %d", most)
	}
	v, _ := strconv.Atoi(s)
	if v > most {
		return 0, fmt.Sprintf("is more than %d", most)
	}
	return v, ""
}

// parseUsage reads a usage file without looking anything up: it checks
// each value's form and range and that no person's window appears twice,
// and returns the people, each with the windows the file gives, in the
// order they first appear, and every problem. No reason repeats a cell of
// the file.
func parseUsage(r io.Reader) ([]usageRow, []RowError) {
	// RedactHeader: a file without its header line has an NHS number
	// where a column name should be, which must not reach the error.
	rd, err := csvrow.NewReader(r, usageColumns, nil, MaxImportRows, csvrow.RedactHeader())
	if err != nil {
		return nil, []RowError{{Line: 1, Reason: err.Error()}}
	}
	type person struct {
		row  usageRow
		seen [2]bool // the window appeared, good or bad
		bad  bool    // a row of the person has a problem
	}
	var order []NHSNumber
	people := map[NHSNumber]*person{}
	for rec, ok := rd.Next(); ok; rec, ok = rd.Next() {
		bad := len(rd.Problems)
		nhs, err := ParseNHSNumber(rec.Get("nhs_number"))
		if err != nil {
			rec.Fail("nhs_number", "%s", err.(*FieldError).Reason)
		}
		w := -1
		switch strings.ToLower(rec.Get("period")) {
		case PeriodBefore:
			w = 0
		case PeriodAfter:
			w = 1
		case "":
			rec.Fail("period", "is required: %s or %s", PeriodBefore, PeriodAfter)
		default:
			rec.Fail("period", "must be %s or %s", PeriodBefore, PeriodAfter)
		}
		var u Usage
		for _, c := range usageCounts {
			v, reason := parseCount(rec.Get(c.col), c.most)
			if reason != "" {
				rec.Fail(c.col, "%s", reason)
				continue
			}
			c.set(&u, v)
		}
		if err != nil {
			continue // no person to attach the row to
		}
		p := people[nhs]
		if p == nil {
			p = &person{row: usageRow{nhs: nhs}}
			people[nhs] = p
			order = append(order, nhs)
		}
		if w >= 0 {
			if p.seen[w] {
				rec.Fail("period", "the same patient's %s window is on line %d", []string{PeriodBefore, PeriodAfter}[w], p.row.lines[w])
			} else {
				p.seen[w] = true
				p.row.lines[w] = rec.Line
				if w == 0 {
					p.row.care.Before = &u
				} else {
					p.row.care.After = &u
				}
			}
		}
		if len(rd.Problems) > bad {
			p.bad = true
		}
	}
	var rows []usageRow
	for _, n := range order {
		if p := people[n]; !p.bad {
			rows = append(rows, p.row)
		}
	}
	errs := make([]RowError, len(rd.Problems))
	for i, p := range rd.Problems {
		errs[i] = RowError{Line: p.Line, Field: p.Field, Reason: p.Reason}
	}
	if len(rows) == 0 && len(errs) == 0 {
		errs = append(errs, RowError{Line: 1, Reason: "the file has no rows"})
	}
	byLine(errs)
	return rows, errs
}

// byLine orders problems by line, keeping the order within a line.
func byLine(errs []RowError) {
	slices.SortStableFunc(errs, func(a, b RowError) int { return cmp.Compare(a.Line, b.Line) })
}

// ImportUsage imports a practice's secondary care use (the columns
// UsageColumns) and records each person's windows on their referral,
// exactly as RecordUsage would: the referral is the patient's latest one
// that reached referred (the windows are counted from its referral date);
// the windows the file gives are set — replacing any recorded already —
// and the others are kept as they were. So a file of before rows imported
// around referral and a file of after rows imported a year later record
// what one file with both would. The actor must be in the practice's
// clinical team, as for RecordUsage.
//
// Every problem of the file is reported at once in an *ImportError — a
// bad NHS number, period or count (negative, not a whole number, too
// large), a person's window listed twice, a patient the practice does not
// have (whether or not another practice has them) or never referred — and
// then nothing is written: the referrals are updated in one atomic batch.
// No reason repeats a cell of the file, so no NHS number reaches the
// error. The actor is checked before the file is read; the file may be at
// most 64 MiB. Errors: ErrForbidden, *ImportError (ErrInvalid), ErrInvalid
// (no file, a file over 64 MiB), ErrNotFound (the practice).
func (s *Service) ImportUsage(ctx context.Context, w call.Write, in UsageImport) (*UsageImportResult, error) {
	actor := w.Actor.ID
	allow := func(ctx context.Context) error {
		_, err := s.atPractice(ctx, actor, in.Practice, clinical...)
		return err
	}
	if err := allow(ctx); err != nil {
		return nil, fmt.Errorf("import usage: %w", err)
	}
	if in.File == nil {
		return nil, fmt.Errorf("import usage: %w", invalid("File", "is required"))
	}
	file, err := readAll(in.File)
	if err != nil {
		return nil, fmt.Errorf("import usage: %w", err)
	}
	req := struct {
		Practice string
		File     []byte
	}{in.Practice, file}
	res, err := write(ctx, s, w, "usage.import", req, allow, func(now time.Time) (*Batch, string, error) {
		if _, err := s.store.Practice(ctx, in.Practice); err != nil {
			return nil, "", fmt.Errorf("Practice: %w", err)
		}
		rows, problems := parseUsage(bytes.NewReader(file))
		nhs := make([]NHSNumber, len(rows))
		for i, r := range rows {
			nhs[i] = r.nhs
		}
		var known []*Patient
		if len(nhs) > 0 {
			if known, err = s.store.Patients(ctx, PatientFilter{Practice: in.Practice, NHSNumbers: nhs}); err != nil {
				return nil, "", err
			}
		}
		byNHS := make(map[NHSNumber]*Patient, len(known))
		for _, p := range known {
			byNHS[p.NHSNumber] = p
		}
		refs, err := s.store.Referrals(ctx, ReferralFilter{Practice: in.Practice})
		if err != nil {
			return nil, "", err
		}
		latest := map[string]*Referral{} // by patient: the latest referred referral
		for _, r := range refs {
			at := r.Entered(Referred)
			if at == nil {
				continue
			}
			if l := latest[r.Patient]; l == nil || at.After(*l.Entered(Referred)) || at.Equal(*l.Entered(Referred)) && r.ID > l.ID {
				latest[r.Patient] = r
			}
		}
		b := &Batch{}
		for _, row := range rows {
			fail := func(reason string) {
				for _, l := range row.lines {
					if l > 0 { // 0: the file has no row for the window
						problems = append(problems, RowError{Line: l, Field: "nhs_number", Reason: reason})
					}
				}
			}
			p := byNHS[row.nhs]
			if p == nil || p.Practice != in.Practice {
				fail("no patient with this NHS number is registered with the practice")
				continue
			}
			r := latest[p.ID]
			if r == nil {
				fail("the patient has no referral that reached referred")
				continue
			}
			r.Usage = r.Usage.merge(row.care)
			r.UpdatedAt, r.UpdatedBy = now, actor
			r.Version++
			b.Referrals = append(b.Referrals, r)
		}
		if len(problems) > 0 {
			byLine(problems)
			return nil, "", &ImportError{Rows: problems}
		}
		slices.SortFunc(b.Referrals, func(a, b *Referral) int { return strings.Compare(a.ID, b.ID) })
		ids := make([]string, len(b.Referrals))
		for i, r := range b.Referrals {
			ids[i] = r.ID
			b.Events = append(b.Events, event(in.Practice, now, actor, "referral.usage", r.ID, string(r.State)+" (import)"))
		}
		return b, strings.Join(ids, " "), nil
	}, func(ctx context.Context, result string) (*UsageImportResult, error) {
		ids := strings.Fields(result)
		if len(ids) == 0 {
			return nil, fmt.Errorf("usage import result: %w", ErrNotFound)
		}
		r, err := s.store.Referral(ctx, ids[0])
		if err != nil {
			return nil, err
		}
		return &UsageImportResult{Practice: r.Practice, Referrals: ids}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("import usage: %w", err)
	}
	return res, nil
}

// usageColumns is UsageColumns as the package reads files with it.
var usageColumns = UsageColumns()
