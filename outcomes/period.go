package outcomes

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Period is the time a measurement, baseline or target refers to: a
// financial year, a calendar year, a (financial) quarter, a month or a
// single day. Its text form names its type, so a period reads back without
// being told what it is:
//
//	calendar year   "2016"
//	financial year  "2016/17"      (1 April 2016 – 31 March 2017)
//	quarter         "2016/17 Q1"   (financial quarters: Q1 is April–June)
//	month           "2016-04"      (also read: "April 2016")
//	point in time   "2016-04-30"
//
// The zero Period is "no period".
type Period struct {
	Type  PeriodType
	Start time.Time // the first day, midnight UTC
}

// PeriodType is how an indicator's periods are counted.
type PeriodType string

// The period types.
const (
	FinancialYear PeriodType = "financial-year"
	CalendarYear  PeriodType = "calendar-year"
	Quarter       PeriodType = "quarter"
	Month         PeriodType = "month"
	PointInTime   PeriodType = "point"
)

// valid reports whether t is one of the period types.
func (t PeriodType) valid() bool {
	switch t {
	case FinancialYear, CalendarYear, Quarter, Month, PointInTime:
		return true
	}
	return false
}

// minYear and maxYear bound the years a period may fall in.
const (
	minYear = 1900
	maxYear = 2200
)

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p.Type == "" }

// String returns the period's text form, or "" for the zero Period.
func (p Period) String() string {
	y, m, d := p.Start.Date()
	switch p.Type {
	case CalendarYear:
		return fmt.Sprintf("%04d", y)
	case FinancialYear:
		return fmt.Sprintf("%04d/%02d", y, (y+1)%100)
	case Quarter:
		fy := y
		if m < time.April {
			fy--
		}
		q := ((int(m)-int(time.April)+12)%12)/3 + 1
		return fmt.Sprintf("%04d/%02d Q%d", fy, (fy+1)%100, q)
	case Month:
		return fmt.Sprintf("%04d-%02d", y, int(m))
	case PointInTime:
		return fmt.Sprintf("%04d-%02d-%02d", y, int(m), d)
	}
	return ""
}

// Index numbers periods of one type consecutively: the year for calendar
// and financial years, quarters and months counted from year 0, days from
// 1 January 1970. Index(b) − Index(a) is how many periods b is after a.
func (p Period) Index() int64 {
	y, m, _ := p.Start.Date()
	switch p.Type {
	case CalendarYear, FinancialYear:
		return int64(y)
	case Quarter:
		return (int64(y)*12 + int64(m) - 1 - 3) / 3 // quarters since April of year 0
	case Month:
		return int64(y)*12 + int64(m) - 1
	case PointInTime:
		return p.Start.Unix() / 86400
	}
	return 0
}

// PeriodAt returns the period of type t with the given Index.
func PeriodAt(t PeriodType, i int64) Period {
	switch t {
	case CalendarYear:
		return Period{t, date(int(i), time.January, 1)}
	case FinancialYear:
		return Period{t, date(int(i), time.April, 1)}
	case Quarter:
		months := i*3 + 3 // months since January of year 0
		return Period{t, date(int(months/12), time.Month(months%12+1), 1)}
	case Month:
		return Period{t, date(int(i/12), time.Month(i%12+1), 1)}
	case PointInTime:
		return Period{t, time.Unix(i*86400, 0).UTC()}
	}
	return Period{}
}

// Add returns the period n periods after p (before, if n < 0).
func (p Period) Add(n int64) Period { return PeriodAt(p.Type, p.Index()+n) }

// End returns the first instant after the period.
func (p Period) End() time.Time {
	switch p.Type {
	case CalendarYear, FinancialYear:
		return p.Start.AddDate(1, 0, 0)
	case Quarter:
		return p.Start.AddDate(0, 3, 0)
	case Month:
		return p.Start.AddDate(0, 1, 0)
	case PointInTime:
		return p.Start.AddDate(0, 0, 1)
	}
	return p.Start
}

// Before reports whether p starts before q.
func (p Period) Before(q Period) bool { return p.Start.Before(q.Start) }

// Equal reports whether p and q are the same period.
func (p Period) Equal(q Period) bool { return p.Type == q.Type && p.Start.Equal(q.Start) }

// MarshalText implements encoding.TextMarshaler.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Period) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*p = Period{}
		return nil
	}
	q, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// MustPeriod is ParsePeriod for literals known to be good; it panics on a
// bad one.
func MustPeriod(s string) Period {
	p, err := ParsePeriod(s)
	if err != nil {
		panic(err)
	}
	return p
}

// ParsePeriod reads a period in one of the forms Period documents.
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	bad := func(why string) (Period, error) {
		return Period{}, fmt.Errorf("period %q: %s (use 2016, 2016/17, 2016/17 Q1, 2016-04 or 2016-04-30)", clip(s), why)
	}
	year := func(t string) (int, bool) {
		if len(t) != 4 {
			return 0, false
		}
		y, err := strconv.Atoi(t)
		if err != nil || y < minYear || y > maxYear || t[0] == '+' || t[0] == '-' {
			return 0, false
		}
		return y, true
	}
	two := func(t string) (int, bool) {
		if len(t) != 2 || t[0] < '0' || t[0] > '9' || t[1] < '0' || t[1] > '9' {
			return 0, false
		}
		return int(t[0]-'0')*10 + int(t[1]-'0'), true
	}
	switch {
	case s == "":
		return bad("is empty")
	case len(s) == 4:
		y, ok := year(s)
		if !ok {
			return bad("is not a year")
		}
		return Period{CalendarYear, date(y, time.January, 1)}, nil
	case len(s) == 7 && s[4] == '/':
		y, ok := year(s[:4])
		yy, ok2 := two(s[5:])
		if !ok || !ok2 || yy != (y+1)%100 {
			return bad("is not a financial year")
		}
		return Period{FinancialYear, date(y, time.April, 1)}, nil
	case len(s) == 10 && s[4] == '/' && s[7] == ' ' && s[8] == 'Q':
		fy, err := ParsePeriod(s[:7])
		if err != nil || s[9] < '1' || s[9] > '4' {
			return bad("is not a quarter")
		}
		q := int(s[9] - '1')
		return Period{Quarter, fy.Start.AddDate(0, 3*q, 0)}, nil
	case len(s) == 7 && s[4] == '-':
		y, ok := year(s[:4])
		m, ok2 := two(s[5:])
		if !ok || !ok2 || m < 1 || m > 12 {
			return bad("is not a month")
		}
		return Period{Month, date(y, time.Month(m), 1)}, nil
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		y, ok := year(s[:4])
		m, ok2 := two(s[5:7])
		d, ok3 := two(s[8:])
		if !ok || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 31 {
			return bad("is not a date")
		}
		t := date(y, time.Month(m), d)
		if t.Day() != d {
			return bad("is not a date")
		}
		return Period{PointInTime, t}, nil
	}
	if name, y, ok := strings.Cut(s, " "); ok {
		if yr, ok := year(y); ok {
			for m := time.January; m <= time.December; m++ {
				if strings.EqualFold(name, m.String()) || (len(name) == 3 && strings.EqualFold(name, m.String()[:3])) {
					return Period{Month, date(yr, m, 1)}, nil
				}
			}
		}
	}
	return bad("is not a period")
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
