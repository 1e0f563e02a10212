package sqlite_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/strongertogether/community/adapters/crm/record"
	"github.com/strongertogether/community/adapters/sqlite"
)

// The CRM sync state of a plugin lives in the database beside the
// records the sync stores: a batch's links and the cursor after it are
// committed together, and a push feed keeps its high-water mark.
func ExampleNewCRMState() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "crmstate-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(ctx, filepath.Join(dir, "community.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	st, err := sqlite.NewCRMState(db, "csv-folder")
	if err != nil {
		log.Fatal(err)
	}
	err = st.Commit(ctx, "v1;volunteer=2", map[record.LinkKey]record.Link{
		{Kind: record.Volunteer, ExternalID: "CRM-V000001"}: {ID: "vol-1", Version: 1},
		{Kind: record.Volunteer, ExternalID: "CRM-V000002"}: {ID: "vol-2", Version: 3},
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := st.SetMark(ctx, "push:awards", "award-41"); err != nil {
		log.Fatal(err)
	}
	cur, err := st.Cursor(ctx)
	if err != nil {
		log.Fatal(err)
	}
	links, err := st.Links(ctx, record.Volunteer, []string{"CRM-V000002", "CRM-V000009"})
	if err != nil {
		log.Fatal(err)
	}
	mark, err := st.Mark(ctx, "push:awards")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cur, links, mark)
	// Output: v1;volunteer=2 map[CRM-V000002:{vol-2 3}] award-41
}
