package memory_test

import (
	"testing"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/hubs/hubstest"
)

func TestHubsConformance(t *testing.T) {
	hubstest.Run(t, func(*testing.T) hubs.Store { return memory.NewHubsStore() })
}
