package replay

import (
	"context"
	"slices"

	"github.com/strongertogether/community/prescribing"
)

// directory is the app's small directory of local activities, which
// social prescribing matches people to through prescribing.Directory.
// The community hubs will provide this later (package hubs, over Open
// Referral UK); until then a council wires in a list like this one.
type directory struct {
	activities []prescribing.Activity
	// metres between the centres of areas; an unknown pair is -1.
	metres map[[2]string]int
}

// Activities returns the activities that meet any of the query's needs,
// with their distance from the query's area.
func (d *directory) Activities(_ context.Context, q prescribing.ActivityQuery) ([]prescribing.Activity, error) {
	var out []prescribing.Activity
	for _, a := range d.activities {
		if !slices.ContainsFunc(a.Needs, func(n prescribing.Need) bool { return slices.Contains(q.Needs, n) }) {
			continue
		}
		a.Needs = slices.Clone(a.Needs)
		a.Metres = d.distance(q.Area, a.Area)
		out = append(out, a)
	}
	return out, nil
}

func (d *directory) distance(from, to string) int {
	if from == to {
		return 0
	}
	if m, ok := d.metres[[2]string{from, to}]; ok {
		return m
	}
	if m, ok := d.metres[[2]string{to, from}]; ok {
		return m
	}
	return -1
}

// thurrockDirectory lists activities in and around the pilot's areas.
func thurrockDirectory() *directory {
	type N = prescribing.Need
	const (
		lonely   = prescribing.NeedLoneliness
		mental   = prescribing.NeedMentalWellbeing
		active   = prescribing.NeedPhysicalActivity
		mobility = prescribing.NeedMobility
		debt     = prescribing.NeedDebt
		benefits = prescribing.NeedBenefits
		carer    = prescribing.NeedCarerSupport
		bereaved = prescribing.NeedBereavement
		housing  = prescribing.NeedHousing
		food     = prescribing.NeedNutrition
		digital  = prescribing.NeedDigital
		work     = prescribing.NeedEmployment
	)
	a := func(id, name, area string, needs ...N) prescribing.Activity {
		return prescribing.Activity{ID: id, Name: name, Area: area, Needs: needs}
	}
	return &directory{
		activities: []prescribing.Activity{
			a("aveley-hub-cafe", "Aveley Hub community café", "Aveley", lonely, food),
			a("aveley-walk", "Aveley health walk", "Aveley", active, lonely),
			a("aveley-digital", "Aveley library computer buddies", "Aveley", digital),
			a("purfleet-hub-lunch", "Purfleet Hub lunch club", "Purfleet", lonely, food),
			a("purfleet-chair-exercise", "Chair-based exercise, Purfleet", "Purfleet", active, mobility),
			a("purfleet-carers", "Carers' coffee morning, Purfleet", "Purfleet", carer, lonely),
			a("tilbury-hub-lunch", "Tilbury Hub lunch club", "Tilbury", lonely, food),
			a("tilbury-walk", "Tilbury riverside walk", "Tilbury", active),
			a("tilbury-mind", "Thurrock Mind wellbeing group, Tilbury", "Tilbury", mental, lonely),
			a("tilbury-jobs", "Tilbury Hub job club", "Tilbury", work, digital),
			a("east-tilbury-shed", "East Tilbury Men's Shed", "East Tilbury", lonely, mental),
			a("east-tilbury-garden", "East Tilbury community garden", "East Tilbury", active, mental),
			a("east-tilbury-bereavement", "Bereavement café, East Tilbury", "East Tilbury", bereaved, lonely),
			a("grays-cab", "Citizens Advice Thurrock, Grays", "Grays", debt, benefits, housing),
			a("grays-cruse", "Cruse bereavement support, Grays", "Grays", bereaved),
			a("grays-carers", "Thurrock Carers' Centre, Grays", "Grays", carer),
			a("grays-talking", "Talking therapies drop-in, Grays", "Grays", mental),
			a("grays-mobility", "Shopmobility and falls prevention, Grays", "Grays", mobility),
		},
		metres: map[[2]string]int{
			{"Aveley", "Purfleet"}: 4200, {"Aveley", "Grays"}: 8600, {"Aveley", "Tilbury"}: 12100, {"Aveley", "East Tilbury"}: 16800,
			{"Purfleet", "Grays"}: 5300, {"Purfleet", "Tilbury"}: 8900, {"Purfleet", "East Tilbury"}: 13500,
			{"Tilbury", "Grays"}: 3600, {"Tilbury", "East Tilbury"}: 5200, {"East Tilbury", "Grays"}: 8400,
		},
	}
}
