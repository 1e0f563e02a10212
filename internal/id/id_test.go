package id

import (
	"fmt"
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

func TestUUID(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	form := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	var made []string
	for i := range 1000 {
		u := UUID(at.Add(time.Duration(i) * time.Millisecond))
		assert.Regexp(t, form, u)
		assert.False(t, seen[u], "duplicate %s", u)
		seen[u] = true
		made = append(made, u)
	}
	assert.True(t, sort.StringsAreSorted(made), "UUIDs made a millisecond apart sort in the order made")
	// The first 48 bits are the Unix time in milliseconds.
	ms := at.UnixMilli()
	assert.Equal(t, fmt.Sprintf("%08x-%04x", ms>>16, ms&0xffff), UUID(at)[:13])
}
