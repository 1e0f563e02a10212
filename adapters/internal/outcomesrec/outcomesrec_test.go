package outcomesrec

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/outcomes"
)

func at(min int) time.Time {
	return time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC).Add(time.Duration(min) * time.Minute)
}

// The testdata files are bodies as the stores wrote them before the
// records were explicit (no "v"): they must read back, field by field.
func TestDecodeGolden(t *testing.T) {
	p := outcomes.MustPeriod
	body, err := os.ReadFile("testdata/framework.json")
	require.NoError(t, err)
	f, err := DecodeFramework(body)
	require.NoError(t, err)
	assert.Equal(t, "golden-b3", f.ID)
	assert.Equal(t, "Golden framework", f.Title)
	assert.Equal(t, "Goal B", f.Goal)
	assert.Equal(t, "B3 Build strong communities", f.Objective)
	assert.Equal(t, "Health and Wellbeing Strategy", f.Strategy)
	assert.Equal(t, "E06000034", f.Area)
	assert.True(t, f.End.Equal(p("2021")))
	assert.Equal(t, "0.25", f.Policy.AmberShare.String())
	assert.Equal(t, "0.95", f.Policy.Confidence.String())
	assert.Equal(t, map[string]outcomes.Role{"owner-1": "owner", "editor-1": "editor", "contrib-1": "contributor"}, f.Roles)
	assert.Equal(t, int64(2), f.Version)
	assert.Equal(t, at(1), f.CreatedAt)
	assert.Equal(t, "owner-1", f.CreatedBy)
	assert.Equal(t, at(2), f.UpdatedAt)
	assert.Equal(t, "owner-1", f.UpdatedBy)

	body, err = os.ReadFile("testdata/indicator.json")
	require.NoError(t, err)
	ind, err := DecodeIndicator(body)
	require.NoError(t, err)
	assert.Equal(t, "dementia-rate", ind.ID)
	assert.Equal(t, "golden-b3", ind.Framework)
	assert.Equal(t, "Dementia diagnosis rate", ind.Title)
	assert.Equal(t, "Diagnosed over expected", ind.Definition)
	assert.Equal(t, "Early diagnosis helps", ind.Rationale)
	assert.Equal(t, "NHS Digital", ind.Source)
	assert.Equal(t, outcomes.UnitPercentage, ind.Unit)
	assert.Equal(t, outcomes.ValueProportion, ind.ValueType)
	assert.Equal(t, outcomes.HigherIsBetter, ind.Polarity)
	assert.Equal(t, outcomes.CalendarYear, ind.PeriodType)
	assert.Equal(t, int32(2), ind.Decimals)
	assert.Equal(t, "B3", ind.Objective)
	assert.Equal(t, "HWB", ind.Strategy)
	assert.Equal(t, "dementia", ind.Programme)
	assert.Equal(t, "dementia-lead", ind.Owner)
	assert.Equal(t, "E92000001", ind.Comparator)
	assert.Equal(t, int64(92949), ind.FingertipsID)
	assert.Equal(t, "66.4", ind.Baseline.Value.String())
	assert.True(t, ind.Baseline.Period.Equal(p("2016")))
	assert.Equal(t, "April 2016", ind.Baseline.AsOf)
	assert.Equal(t, outcomes.TargetSet, ind.Target.Status)
	assert.Equal(t, "67", ind.Target.Value.String())
	assert.True(t, ind.Target.Period.Equal(p("2021")))
	assert.Equal(t, "national ambition", ind.Target.Note)
	assert.Equal(t, outcomes.Milestones, ind.Trajectory.Kind)
	assert.True(t, ind.Trajectory.Rate.IsZero())
	assert.True(t, ind.Trajectory.End.Equal(p("2022")))
	require.Len(t, ind.Trajectory.Milestones, 2)
	assert.True(t, ind.Trajectory.Milestones[1].Period.Equal(p("2021")))
	assert.Equal(t, "66.6", ind.Trajectory.Milestones[0].Value.String())
	assert.Equal(t, "0.5", ind.StatedChange.String())
	assert.Equal(t, "an increase of 0.5 points", ind.StatedText)
	assert.Equal(t, int64(1), ind.Version)
	assert.Equal(t, at(3), ind.CreatedAt)
	assert.Equal(t, "editor-1", ind.CreatedBy)
	assert.Equal(t, at(3), ind.UpdatedAt)
	assert.Equal(t, "editor-1", ind.UpdatedBy)

	body, err = os.ReadFile("testdata/story.json")
	require.NoError(t, err)
	st, err := DecodeStory(body)
	require.NoError(t, err)
	assert.Equal(t, &outcomes.Story{ID: "story-1", Framework: "golden-b3", Indicator: "dementia-rate", Programme: "dementia",
		Title: "Mrs A's memory cafe", Body: "Mrs A found the memory cafe through her GP.", Date: time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC),
		Tags:    []string{"hub", "tilbury"},
		Consent: outcomes.Consent{Given: true, Date: time.Date(2017, 6, 2, 0, 0, 0, 0, time.UTC), RecordedBy: "contrib-1", Scope: outcomes.ConsentPublic},
		Status:  outcomes.StoryPublished, Version: 2, CreatedAt: at(9), CreatedBy: "contrib-1", UpdatedAt: at(10), UpdatedBy: "editor-1"}, st)
}

// What is written carries the format version and reads back equal.
func TestEncodeRoundTrip(t *testing.T) {
	for _, name := range []string{"framework", "indicator", "story"} {
		body, err := os.ReadFile("testdata/" + name + ".json")
		require.NoError(t, err)
		var again []byte
		switch name {
		case "framework":
			x, err := DecodeFramework(body)
			require.NoError(t, err)
			again, err = EncodeFramework(x)
			require.NoError(t, err)
			y, err := DecodeFramework(again)
			require.NoError(t, err)
			assert.Equal(t, x, y)
		case "indicator":
			x, err := DecodeIndicator(body)
			require.NoError(t, err)
			again, err = EncodeIndicator(x)
			require.NoError(t, err)
			y, err := DecodeIndicator(again)
			require.NoError(t, err)
			assert.Equal(t, x, y)
		case "story":
			x, err := DecodeStory(body)
			require.NoError(t, err)
			again, err = EncodeStory(x)
			require.NoError(t, err)
			y, err := DecodeStory(again)
			require.NoError(t, err)
			assert.Equal(t, x, y)
		}
		var v struct{ V int }
		require.NoError(t, json.Unmarshal(again, &v))
		assert.Equal(t, Version, v.V, name)
	}
	_, err := DecodeStory([]byte(`{"v":2,"id":"s"}`))
	assert.ErrorContains(t, err, "format version 2")
}
