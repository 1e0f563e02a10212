package replay

import (
	"context"

	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/prescribing"
)

// hubsDirectory is how the app wires the Stronger Together directory (the
// hubs domain's services over Open Referral UK) into social prescribing:
// hubs.Service.Activities has the shape of prescribing.Directory in hubs'
// own types, so neither domain imports the other and the app converts.
// The pilot's link workers therefore match people to real directory
// entries, the ones examples/directory serves.
type hubsDirectory struct{ hubs *hubs.Service }

var _ prescribing.Directory = hubsDirectory{}

// Activities implements prescribing.Directory: the directory's services
// for any of the needs, with their distance from the person's area.
func (d hubsDirectory) Activities(ctx context.Context, q prescribing.ActivityQuery) ([]prescribing.Activity, error) {
	needs := make([]string, len(q.Needs))
	for i, n := range q.Needs {
		needs[i] = string(n)
	}
	acts, err := d.hubs.Activities(ctx, hubs.ActivityQuery{Needs: needs, Area: q.Area})
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
