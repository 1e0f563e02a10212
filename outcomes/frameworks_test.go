package outcomes_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/outcomes"
)

// Every framework shipped in examples/frameworks parses and validates, and
// the 2022–26 strategy's indicators carry the seed's figures (seed 004:
// 95% of council volunteer placements filled and 1,830 events in hubs and
// libraries, both April to December 2022; no loneliness baseline stated).
func TestShippedFrameworks(t *testing.T) {
	files, err := filepath.Glob("../examples/frameworks/*.json")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 2)
	byID := map[string]*outcomes.NewIndicator{}
	for _, name := range files {
		f, err := os.Open(name)
		require.NoError(t, err)
		file, err := outcomes.ParseFile(f)
		f.Close()
		require.NoError(t, err, name)
		for _, ind := range file.Indicators {
			byID[ind.ID] = ind
		}
	}
	placements := byID["volunteer-placements-filled"]
	require.NotNil(t, placements)
	assert.Equal(t, "95", placements.Baseline.Value.String())
	assert.Equal(t, outcomes.HigherIsBetter, placements.Polarity)
	lonely := byID["adults-lonely-often-always"]
	require.NotNil(t, lonely)
	assert.Equal(t, outcomes.LowerIsBetter, lonely.Polarity)
	assert.Nil(t, lonely.Baseline, "the strategy states no baseline")
	assert.False(t, lonely.Target.Set(), "nor a target")
	events := byID["hub-library-events"]
	require.NotNil(t, events)
	assert.Equal(t, "1830", events.Baseline.Value.String())
}
