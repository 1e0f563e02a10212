package borough

import (
	"context"

	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/prescribing"
)

// HubsDirectory is how an app wires the Stronger Together directory (the
// hubs domain's services) into social prescribing: hubs.Service.Activities
// has the shape of prescribing.Directory in hubs' own types, so neither
// domain imports the other and this converts.
type HubsDirectory struct{ Hubs *hubs.Service }

var _ prescribing.Directory = HubsDirectory{}

// Activities implements prescribing.Directory: the directory's services
// for any of the needs, with their distance from the person's area.
func (d HubsDirectory) Activities(ctx context.Context, q prescribing.ActivityQuery) ([]prescribing.Activity, error) {
	needs := make([]string, len(q.Needs))
	for i, n := range q.Needs {
		needs[i] = string(n)
	}
	acts, err := d.Hubs.Activities(ctx, hubs.ActivityQuery{Needs: needs, Area: q.Area})
	if err != nil {
		return nil, err
	}
	out := make([]prescribing.Activity, len(acts))
	for i, a := range acts {
		out[i] = prescribing.Activity{ID: a.ID, Name: a.Name, Area: a.Area, Metres: a.Metres}
		for _, n := range a.Needs {
			out[i].Needs = append(out[i].Needs, prescribing.Need(n))
		}
	}
	return out, nil
}
