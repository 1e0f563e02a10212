package record

import "context"

// Link is what the sync engine remembers of one CRM record: the domain id
// it was stored as and the CRM version stored.
type Link struct {
	ID      string `json:"id"`
	Version int64  `json:"v"`
}

// LinkKey names a record of the CRM: its kind and external id.
type LinkKey struct {
	Kind       Kind
	ExternalID string
}

// State is the sync engine's durable memory for one plugin: the cursor
// after the last batch stored, and the link of every record stored.
// adapters/crm keeps it in a file (FileState); adapters/sqlite and
// adapters/postgres keep it in their databases.
type State interface {
	Cursor(ctx context.Context) (string, error)
	Link(ctx context.Context, k Kind, externalID string) (Link, bool, error)
	// Commit durably records a batch's links and the cursor after it,
	// atomically.
	Commit(ctx context.Context, cursor string, links map[LinkKey]Link) error
}

// LinkReader is a State that reads the links of many records at once;
// the engine uses it, when the State has it, to read a whole batch's
// links in one call.
type LinkReader interface {
	// Links returns the links of those of ids (records of kind k) that
	// were committed, keyed by external id.
	Links(ctx context.Context, k Kind, ids []string) (map[string]Link, error)
}
