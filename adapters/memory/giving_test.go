package memory_test

import (
	"testing"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/grants/giving"
	"github.com/strongertogether/community/grants/giving/givingtest"
)

func TestGivingConformance(t *testing.T) {
	t.Parallel()
	givingtest.Run(t, func(t *testing.T) giving.Store { return memory.NewGivingStore() })
}

func BenchmarkGivingReport(b *testing.B) {
	givingtest.BenchmarkReport(b, func(b *testing.B) giving.Store { return memory.NewGivingStore() })
}
