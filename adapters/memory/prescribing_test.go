package memory_test

import (
	"testing"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/prescribing"
	"github.com/strongertogether/community/prescribing/prescribingtest"
)

func TestPrescribingConformance(t *testing.T) {
	prescribingtest.Run(t, func(*testing.T) prescribing.Store { return memory.NewPrescribingStore() })
}

func BenchmarkPrescribingTransition(b *testing.B) {
	prescribingtest.BenchmarkTransition(b, func(*testing.B) prescribing.Store { return memory.NewPrescribingStore() })
}
