package memory_test

import (
	"testing"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/grants/grantstest"
)

func TestGrantsConformance(t *testing.T) {
	grantstest.Run(t, func(*testing.T) grants.Store { return memory.NewGrantsStore() })
}

func BenchmarkApprove(b *testing.B) {
	grantstest.BenchmarkApprove(b, func(*testing.B) grants.Store { return memory.NewGrantsStore() })
}

func BenchmarkApproveIncome(b *testing.B) {
	grantstest.BenchmarkApproveIncome(b, func(*testing.B) grants.Store { return memory.NewGrantsStore() })
}
