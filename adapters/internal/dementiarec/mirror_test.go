package dementiarec

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/strongertogether/community/dementia"
)

// fields returns a struct type's field names, with the fields of a nested
// struct named in flatten spelt as the nested name followed by theirs.
func fields(t reflect.Type, flatten map[string]bool) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if flatten[f.Name] {
			for j := range f.Type.NumField() {
				out = append(out, f.Name+f.Type.Field(j).Name)
			}
			continue
		}
		out = append(out, f.Name)
	}
	return out
}

// Every stored record holds the fields of its dementia type, in order, so
// a field added to a domain type fails here until the stored format
// gains it on purpose.
func TestRecordsMirrorTheirTypes(t *testing.T) {
	for _, p := range []struct {
		rec, typ any
		flatten  map[string]bool
	}{
		{Staff{}, dementia.Staff{}, nil},
		{Member{}, dementia.Member{}, map[string]bool{"Contact": true}},
		{Progress{}, dementia.Progress{}, nil},
		{Action{}, dementia.Action{}, nil},
		{Meeting{}, dementia.Meeting{}, nil},
		{Criterion{}, dementia.CriterionState{}, nil},
		{Assessment{}, dementia.Assessment{}, nil},
		{Community{}, dementia.Community{}, nil},
		{Champion{}, dementia.Champion{}, nil},
		{Friends{}, dementia.Friends{}, nil},
		{Rate{}, dementia.Rate{}, nil},
		{Prevalence{}, dementia.Prevalence{}, nil},
		{BandCount{}, dementia.BandCount{}, nil},
		{Register{}, dementia.Register{}, nil},
		{Adjustments{}, dementia.Adjustments{}, nil},
		{Review{}, dementia.Review{}, nil},
	} {
		rt, tt := reflect.TypeOf(p.rec), reflect.TypeOf(p.typ)
		assert.Equal(t, fields(tt, p.flatten), fields(rt, nil), "%s mirrors %s", rt.Name(), tt.Name())
		for i := range rt.NumField() {
			assert.NotEmpty(t, rt.Field(i).Tag.Get("json"), "%s.%s has a JSON name", rt.Name(), rt.Field(i).Name)
		}
	}
}
