package id

import (
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestNew(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	seen := map[string]bool{}
	form := regexp.MustCompile(`^mem_[0-9a-hjkmnp-tv-z]{20}$`)
	for i := 0; i < 10000; i++ {
		v := New("mem", at)
		assert.Regexp(t, form, v)
		assert.False(t, seen[v], "duplicate id %s", v)
		seen[v] = true
	}
	// Ids made later sort later (to the millisecond).
	var ids []string
	for i := 0; i < 50; i++ {
		ids = append(ids, New("x", at.Add(time.Duration(i)*time.Millisecond)))
	}
	assert.True(t, sort.StringsAreSorted(ids), "time-ordered: %v", ids)
	assert.Len(t, New("application", at), len("application")+21, "a long prefix fits")
}
