package crm

import (
	"path/filepath"
	"testing"

	"github.com/strongertogether/community/adapters/crm/record/statetest"
)

func TestFileStateConformance(t *testing.T) {
	statetest.Run(t, func(t *testing.T) statetest.Open {
		dir := t.TempDir()
		return func(t *testing.T, source string) statetest.Full {
			return NewFileState(filepath.Join(dir, source+".json"))
		}
	})
}
