package memory_test

import (
	"testing"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/timebank"
	"github.com/strongertogether/community/timebank/timebanktest"
)

func TestTimebankConformance(t *testing.T) {
	timebanktest.Run(t, func(*testing.T) timebank.Store { return memory.NewTimebankStore() })
}

func BenchmarkTransfer(b *testing.B) {
	timebanktest.BenchmarkTransfer(b, func(*testing.B) timebank.Store { return memory.NewTimebankStore() })
}

func BenchmarkBalanceAt(b *testing.B) {
	timebanktest.BenchmarkBalanceAt(b, func(*testing.B) timebank.Store { return memory.NewTimebankStore() })
}
