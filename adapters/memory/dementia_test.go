package memory_test

import (
	"testing"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/dementia"
	"github.com/strongertogether/community/dementia/dementiatest"
)

func TestDementiaConformance(t *testing.T) {
	t.Parallel()
	dementiatest.Run(t, func(*testing.T) dementia.Store { return memory.NewDementiaStore() })
}

func BenchmarkDementiaCoordinator(b *testing.B) {
	dementiatest.BenchmarkCoordinator(b, func(*testing.B) dementia.Store { return memory.NewDementiaStore() })
}
