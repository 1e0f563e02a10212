package memory_test

import (
	"testing"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/hubs/locality"
	"github.com/strongertogether/community/hubs/locality/localitytest"
)

func TestLocalityConformance(t *testing.T) {
	localitytest.Run(t, func(*testing.T) locality.Store { return memory.NewLocalityStore() })
}

func BenchmarkLocalityWardMatrix(b *testing.B) {
	localitytest.BenchmarkWardMatrix(b, func(*testing.B) locality.Store { return memory.NewLocalityStore() })
}
