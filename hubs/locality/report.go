package locality

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// AreaReport is Local Area Coordination in one area over a period.
type AreaReport struct {
	Area string
	// Introduced counts the cases opened in the period, by route and by
	// age band.
	Introduced int
	ByRoute    map[Route]int
	ByAgeBand  map[string]int
	// Open counts the cases open at the period's end.
	Open int
	// Closed counts the cases closed in the period.
	Closed int
	// GoalsSet and GoalsMet count goals set and met in the period.
	GoalsSet, GoalsMet int
	// Connections counts connections made in the period, by kind.
	Connections map[ConnectionKind]int
	// Coordinated counts services coordinated in the period.
	Coordinated int
	// AvoidedEvents counts avoided events dated in the period.
	AvoidedEvents int
}

// LACReport reports Local Area Coordination by area over [from, to). It
// is an aggregate naming no person, and checks no role.
func (s *Service) LACReport(ctx context.Context, from, to time.Time) ([]AreaReport, error) {
	areas, err := s.store.Areas(ctx)
	if err != nil {
		return nil, fmt.Errorf("lac report: %w", err)
	}
	cases, err := s.store.Cases(ctx, Query{To: to})
	if err != nil {
		return nil, fmt.Errorf("lac report: %w", err)
	}
	av, err := s.store.Avoided(ctx, Query{From: from, To: to})
	if err != nil {
		return nil, fmt.Errorf("lac report: %w", err)
	}
	in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	by := map[string]*AreaReport{}
	var out []AreaReport
	for _, a := range areas {
		if a.Programme == LAC {
			by[a.ID] = &AreaReport{Area: a.ID, ByRoute: map[Route]int{}, ByAgeBand: map[string]int{}, Connections: map[ConnectionKind]int{}}
		}
	}
	for _, c := range cases {
		r := by[c.Area]
		if r == nil {
			continue
		}
		if in(c.Introduced) {
			r.Introduced++
			r.ByRoute[c.Route]++
			r.ByAgeBand[c.AgeBand]++
		}
		if c.Closed == nil || !c.Closed.Before(to) {
			r.Open++
		} else if in(*c.Closed) {
			r.Closed++
		}
		for _, g := range c.Goals {
			if in(g.Set) {
				r.GoalsSet++
			}
			if g.Met != nil && in(*g.Met) {
				r.GoalsMet++
			}
		}
		for _, k := range c.Connections {
			if in(k.On) {
				r.Connections[k.Kind]++
			}
		}
		for _, k := range c.Coordinated {
			if in(k.On) {
				r.Coordinated++
			}
		}
	}
	for _, v := range av {
		if r := by[v.Area]; r != nil {
			r.AvoidedEvents++
		}
	}
	for _, a := range areas {
		if r := by[a.ID]; r != nil {
			out = append(out, *r)
		}
	}
	return out, nil
}

// WardReport is the Community Organisers' work in one ward over a period.
type WardReport struct {
	Area, Ward    string
	Conversations int64
	// Themes counts the listening records that raised each theme
	// (lower-cased).
	Themes         map[string]int
	Issues         int
	Actions        int
	ActionsDone    int
	Listeners      int64 // the latest count in the period
	Activists      int64
	NamedResidents int
}

// OrganisersReport reports listening, issues, actions and networks by
// ward over [from, to). It names no resident and checks no role.
func (s *Service) OrganisersReport(ctx context.Context, from, to time.Time) ([]WardReport, error) {
	q := Query{From: from, To: to}
	ls, err := s.store.Listening(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("organisers report: %w", err)
	}
	is, err := s.store.Issues(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("organisers report: %w", err)
	}
	ns, err := s.store.Networks(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("organisers report: %w", err)
	}
	by := map[[2]string]*WardReport{}
	at := func(area, ward string) *WardReport {
		k := [2]string{area, ward}
		if by[k] == nil {
			by[k] = &WardReport{Area: area, Ward: ward, Themes: map[string]int{}}
		}
		return by[k]
	}
	for _, l := range ls {
		r := at(l.Area, l.Ward)
		r.Conversations += l.Conversations
		for _, t := range l.Themes {
			r.Themes[themeKey(t)]++
		}
		if l.ResidentName != "" {
			r.NamedResidents++
		}
	}
	for _, i := range is {
		r := at(i.Area, i.Ward)
		r.Issues++
		for _, a := range i.Actions {
			r.Actions++
			if a.Done != nil {
				r.ActionsDone++
			}
		}
	}
	for _, n := range ns { // by On, so the last is the latest
		r := at(n.Area, n.Ward)
		r.Listeners, r.Activists = n.Listeners, n.Activists
	}
	return sorted(by), nil
}

func sorted[T any](m map[[2]string]*T) []T {
	keys := make([][2]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]string) int {
		if c := strings.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return strings.Compare(a[1], b[1])
	})
	out := make([]T, 0, len(keys))
	for _, k := range keys {
		out = append(out, *m[k])
	}
	return out
}

// LocalityReport is a Community Builder's locality: its asset map by kind,
// gift board, ideas fairs and Community of Practice events.
type LocalityReport struct {
	Area string
	// Assets counts the map's assets by kind (added before the period's
	// end), and Listed those that became directory entries.
	Assets          map[AssetKind]int
	Listed          int
	Offers          int
	Requests        int
	Matches         int
	Fairs           int
	FairAttendance  int64
	FairConnections int64
	Practices       int
	PracticePeople  int64
	PracticePlaces  []string
}

// BuildersReport reports the builders' localities over [from, to). It
// names no person and checks no role.
func (s *Service) BuildersReport(ctx context.Context, from, to time.Time) ([]LocalityReport, error) {
	areas, err := s.store.Areas(ctx)
	if err != nil {
		return nil, fmt.Errorf("builders report: %w", err)
	}
	as, err := s.store.Assets(ctx, Query{To: to})
	if err != nil {
		return nil, fmt.Errorf("builders report: %w", err)
	}
	q := Query{From: from, To: to}
	gs, err := s.store.Gifts(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("builders report: %w", err)
	}
	fs, err := s.store.Fairs(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("builders report: %w", err)
	}
	ps, err := s.store.Practices(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("builders report: %w", err)
	}
	by := map[string]*LocalityReport{}
	for _, a := range areas {
		if a.Programme == Builders {
			by[a.ID] = &LocalityReport{Area: a.ID, Assets: map[AssetKind]int{}}
		}
	}
	for _, a := range as {
		if r := by[a.Area]; r != nil {
			r.Assets[a.Kind]++
			if a.Listing != "" {
				r.Listed++
			}
		}
	}
	for _, g := range gs {
		if r := by[g.Area]; r != nil {
			if g.Kind == Offer {
				r.Offers++
				if g.Match != "" {
					r.Matches++
				}
			} else {
				r.Requests++
			}
		}
	}
	for _, f := range fs {
		if r := by[f.Area]; r != nil {
			r.Fairs++
			r.FairAttendance += f.Attendance
			r.FairConnections += f.Connections
		}
	}
	for _, p := range ps {
		if r := by[p.Area]; r != nil {
			r.Practices++
			r.PracticePeople += p.Attendance
			if !slices.Contains(r.PracticePlaces, p.Place) {
				r.PracticePlaces = append(r.PracticePlaces, p.Place)
			}
		}
	}
	var out []LocalityReport
	for _, a := range areas {
		if r := by[a.ID]; r != nil {
			out = append(out, *r)
		}
	}
	return out, nil
}

// WardCounts counts each programme's activity by ward over [from, to):
// for LAC the cases open in the period in areas covering the ward (a case
// counts in each ward of its area), for organisers the listening
// conversations, for builders the assets added, cards posted, fairs and
// Community of Practice events. It is what this domain gives to the ward
// matrix, names no person and checks no role.
func (s *Service) WardCounts(ctx context.Context, from, to time.Time) (map[Programme]map[string]int64, error) {
	out := map[Programme]map[string]int64{LAC: {}, Organisers: {}, Builders: {}}
	areas, err := s.store.Areas(ctx)
	if err != nil {
		return nil, fmt.Errorf("ward counts: %w", err)
	}
	wards := map[string][]string{}
	for _, a := range areas {
		wards[a.ID] = a.Wards
	}
	cases, err := s.store.Cases(ctx, Query{To: to})
	if err != nil {
		return nil, fmt.Errorf("ward counts: %w", err)
	}
	for _, c := range cases {
		if c.Closed != nil && c.Closed.Before(from) {
			continue
		}
		for _, w := range wards[c.Area] {
			out[LAC][w]++
		}
	}
	q := Query{From: from, To: to}
	ls, err := s.store.Listening(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("ward counts: %w", err)
	}
	for _, l := range ls {
		out[Organisers][l.Ward] += l.Conversations
	}
	as, err := s.store.Assets(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("ward counts: %w", err)
	}
	for _, a := range as {
		out[Builders][a.Ward]++
	}
	gs, err := s.store.Gifts(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("ward counts: %w", err)
	}
	for _, g := range gs {
		out[Builders][g.Ward]++
	}
	fs, err := s.store.Fairs(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("ward counts: %w", err)
	}
	for _, f := range fs {
		out[Builders][f.Ward]++
	}
	ps, err := s.store.Practices(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("ward counts: %w", err)
	}
	for _, p := range ps {
		out[Builders][p.Ward]++
	}
	return out, nil
}

// Column is one programme's per-ward counts for the ward matrix, as a
// domain reports them (time bank members, hubs, grants, practices, ...).
type Column struct {
	Programme string
	Counts    map[string]int64
}

// Matrix is the partnership's matrix of which programmes are active in
// each ward over a period.
type Matrix struct {
	From, To   time.Time
	Wards      []string
	Programmes []string
	// Counts[i][j] is programme j's count in ward i; a programme is active
	// in a ward when its count is above zero.
	Counts [][]int64
}

// Compose builds the ward matrix from each domain's per-ward counts, over
// wards (the borough's, in its order; a ward a column names that is not in
// wards is added at the end, sorted).
func Compose(from, to time.Time, wards []string, cols ...Column) Matrix {
	m := Matrix{From: from, To: to, Wards: slices.Clone(wards)}
	seen := map[string]bool{}
	for _, w := range wards {
		seen[w] = true
	}
	var extra []string
	for _, c := range cols {
		for w := range c.Counts {
			if !seen[w] {
				seen[w] = true
				extra = append(extra, w)
			}
		}
	}
	slices.Sort(extra)
	m.Wards = append(m.Wards, extra...)
	for _, c := range cols {
		m.Programmes = append(m.Programmes, c.Programme)
	}
	m.Counts = make([][]int64, len(m.Wards))
	for i, w := range m.Wards {
		m.Counts[i] = make([]int64, len(cols))
		for j, c := range cols {
			m.Counts[i][j] = c.Counts[w]
		}
	}
	return m
}

// Active reports how many programmes are active in ward i.
func (m Matrix) Active(i int) int {
	n := 0
	for _, c := range m.Counts[i] {
		if c > 0 {
			n++
		}
	}
	return n
}

// Text prints the matrix as a table of counts, "-" where a programme is
// not active.
func (m Matrix) Text() string {
	var b strings.Builder
	wide := len("ward")
	for _, w := range m.Wards {
		wide = max(wide, len(w))
	}
	fmt.Fprintf(&b, "%-*s", wide, "ward")
	for _, p := range m.Programmes {
		fmt.Fprintf(&b, "  %10s", p)
	}
	b.WriteString("\n")
	for i, w := range m.Wards {
		fmt.Fprintf(&b, "%-*s", wide, w)
		for _, c := range m.Counts[i] {
			if c == 0 {
				fmt.Fprintf(&b, "  %10s", "-")
			} else {
				fmt.Fprintf(&b, "  %10d", c)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Caseloads counts the cases open at the instant at (introduced before it
// and not closed by then), by coordinator. It names no person and checks
// no role.
func (s *Service) Caseloads(ctx context.Context, at time.Time) (map[string]int, error) {
	cases, err := s.store.Cases(ctx, Query{To: at})
	if err != nil {
		return nil, fmt.Errorf("caseloads: %w", err)
	}
	out := map[string]int{}
	for _, c := range cases {
		if c.Closed == nil || c.Closed.After(at) {
			out[c.Coordinator]++
		}
	}
	return out, nil
}
