package prescribing

import (
	"cmp"
	"context"
	"slices"
)

// Directory finds community activities and services. prescribing declares
// it and the app wires in an implementation: the community hubs' directory
// (package hubs) in Thurrock's app, a fake in tests.
type Directory interface {
	// Activities returns activities and services that meet any of the
	// query's needs, near the query's area. Order does not matter: the
	// Service ranks them.
	Activities(ctx context.Context, q ActivityQuery) ([]Activity, error)
}

// ActivityQuery asks the Directory for activities.
type ActivityQuery struct {
	Needs []Need
	Area  string
}

// Activity is a community activity or service as the Directory describes
// it. Metres is its distance from the person's area, or -1 if the
// Directory does not know it.
type Activity struct {
	ID     string
	Name   string
	Area   string
	Needs  []Need
	Metres int
}

// Match is an activity ranked for a person: Fit is how many of their needs
// it meets, SameArea whether it is in their area.
type Match struct {
	Activity
	Fit      int
	Meets    []Need
	SameArea bool
}

// Rank orders activities for a person with needs, living in area: more of
// their needs met first, then those in their area, then the nearer
// (unknown distances last), then by name and id. Activities meeting none
// of the needs are dropped.
func Rank(needs []Need, area string, acts []Activity) []Match {
	out := make([]Match, 0, len(acts))
	for _, a := range acts {
		m := Match{Activity: a, SameArea: area != "" && a.Area == area}
		for _, n := range needs {
			if slices.Contains(a.Needs, n) {
				m.Fit++
				m.Meets = append(m.Meets, n)
			}
		}
		if m.Fit > 0 {
			out = append(out, m)
		}
	}
	dist := func(m Match) int {
		if m.Metres < 0 {
			return int(^uint(0) >> 1)
		}
		return m.Metres
	}
	slices.SortFunc(out, func(a, b Match) int {
		if c := cmp.Compare(b.Fit, a.Fit); c != 0 {
			return c
		}
		if a.SameArea != b.SameArea {
			if a.SameArea {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(dist(a), dist(b)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}
