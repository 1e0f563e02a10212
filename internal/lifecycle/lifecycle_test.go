package lifecycle

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTable(t *testing.T) {
	tb := New(map[string][]string{"draft": {"submitted"}, "submitted": {"approved", "declined"}})
	assert.True(t, tb.Allowed("draft", "submitted"))
	assert.False(t, tb.Allowed("draft", "approved"))
	assert.False(t, tb.Allowed("approved", "draft"))
	assert.True(t, tb.Final("approved"))
	assert.False(t, tb.Final("draft"))
	assert.NoError(t, tb.Check("submitted", "declined"))
	assert.EqualError(t, tb.Check("draft", "approved"), "cannot go from draft to approved; from draft it can go to [submitted]")
	assert.EqualError(t, tb.Check("declined", "draft"), "declined is final; nothing follows it")
	next := tb.Next("submitted")
	next[0] = "changed"
	assert.Equal(t, []string{"approved", "declined"}, tb.Next("submitted"), "Next returns a copy")
}
