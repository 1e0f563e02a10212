package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out, ""))
	s := out.String()
	for _, want := range []string{"Local Area Coordination", "lac-purfleet", "Tilbury St Chads", "abcd-chadwell",
		"Assumptions: deadweight 20%", "less optimism bias", "net £", "Ward matrix", "West Thurrock and South Stifford"} {
		assert.Contains(t, s, want)
	}
	t.Log(s)
}
