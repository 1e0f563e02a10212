package replay

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestScaleChecked checks a scale out of range is refused, naming the
// field and the range, before anything is printed or written.
func TestScaleChecked(t *testing.T) {
	for _, n := range []int{1, 2, MaxScale} {
		assert.NoError(t, CheckScale(n), n)
	}
	for _, n := range []int{-1, 0, MaxScale + 1, 1 << 40} {
		assert.ErrorIs(t, CheckScale(n), ErrScale, n)
	}
	for _, n := range []int{-3, MaxScale + 1} {
		dir := t.TempDir()
		var buf bytes.Buffer
		_, err := Run(context.Background(), &buf, Options{DB: filepath.Join(dir, "x.db"), Out: filepath.Join(dir, "out"), Scale: n})
		require.ErrorIs(t, err, ErrScale, n)
		assert.ErrorContains(t, err, "Options.Scale")
		assert.ErrorContains(t, err, "from 1 to 100")
		assert.Empty(t, buf.String())
		assert.NoFileExists(t, filepath.Join(dir, "x.db"))
		assert.NoDirExists(t, filepath.Join(dir, "out"))
	}
}
