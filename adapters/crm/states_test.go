package crm_test

import (
	"github.com/strongertogether/community/adapters/crm"
	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/adapters/sqlite"
)

// The database states keep a sync's cursor and links and the push feeds'
// marks, as FileState does.
var (
	_ crm.State      = (*sqlite.CRMState)(nil)
	_ crm.Marks      = (*sqlite.CRMState)(nil)
	_ crm.LinkReader = (*sqlite.CRMState)(nil)
	_ crm.State      = (*postgres.CRMState)(nil)
	_ crm.Marks      = (*postgres.CRMState)(nil)
	_ crm.LinkReader = (*postgres.CRMState)(nil)
)
