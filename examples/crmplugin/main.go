// Command crmplugin is an example CRM plugin: a "CRM" that is a folder
// of CSV files (people.csv, organisations.csv, volunteers.csv,
// referrals.csv, grant_applications.csv, hub_events.csv, hub_visits.csv),
// served with adapters/crm/sdk. Each file is the CRM's change log: a
// header row, then one row per change, with the columns external_id,
// version and the kind's fields (see adapters/crm/README.md); a changed
// record is a new row with a higher version. Items pushed by the host are
// appended, each id once, to awards.csv (grant awards),
// referral_statuses.csv (referrals' changes of status) and
// members_joined.csv (members joining a time bank).
//
// Run by a host (adapters/crm), never by hand: crmplugin -dir FOLDER.
// With -debug it serves for a debugger and prints the reattach config on
// stderr.
package main

import (
	"flag"
	"fmt"
	"os"

	plugin "github.com/hashicorp/go-plugin"

	"github.com/strongertogether/community/adapters/crm/sdk"
)

func main() {
	dir := flag.String("dir", os.Getenv("CRMPLUGIN_DIR"), "the folder of CSV files")
	debug := flag.Bool("debug", false, "serve for a debugger; print the reattach config on stderr")
	flag.Parse()
	log := sdk.Logger("crmplugin")
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "crmplugin: -dir is required")
		os.Exit(2)
	}
	var opts []sdk.Option
	if *debug {
		opts = append(opts, sdk.WithDebug(func(rc *plugin.ReattachConfig) {
			fmt.Fprintf(os.Stderr, "CRMPLUGIN_REATTACH=%s %s %d\n", rc.Addr.Network(), rc.Addr.String(), rc.Pid)
		}))
	}
	sdk.Serve(newFolder(*dir, log), append(opts, sdk.WithLogger(log))...)
}
