package memory_test

import (
	"testing"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/outcomes"
	"github.com/strongertogether/community/outcomes/outcomestest"
)

func TestOutcomesConformance(t *testing.T) {
	outcomestest.Run(t, func(*testing.T) outcomes.Store { return memory.NewOutcomesStore() })
}

func BenchmarkReport(b *testing.B) {
	outcomestest.BenchmarkReport(b, func(*testing.B) outcomes.Store { return memory.NewOutcomesStore() })
}

func BenchmarkTrajectory(b *testing.B) { outcomestest.BenchmarkTrajectory(b) }
