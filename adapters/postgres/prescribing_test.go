package postgres_test

import (
	"testing"

	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/adapters/postgres/pgtest"
	"github.com/strongertogether/community/prescribing"
	"github.com/strongertogether/community/prescribing/prescribingtest"
)

func TestPrescribingConformance(t *testing.T) {
	t.Parallel()
	prescribingtest.Run(t, func(t *testing.T) prescribing.Store { return postgres.NewPrescribingStore(pgtest.Open(t)) })
}

func BenchmarkPrescribingTransition(b *testing.B) {
	prescribingtest.BenchmarkTransition(b, func(b *testing.B) prescribing.Store { return postgres.NewPrescribingStore(pgtest.Open(b)) })
}
