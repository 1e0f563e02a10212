package call

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWriteStringHidesKey(t *testing.T) {
	w := As("mem-1").Key("join-Alice-Smith")
	s := w.String()
	assert.Contains(t, s, "mem-1")
	assert.False(t, strings.Contains(s, "Alice"), "the key may hold a name: %q", s)
	assert.Equal(t, "mem-1", As("mem-1").String())
}
