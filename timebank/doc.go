// Package timebank is a time-credit ledger for community time banks: one
// hour of help is one Time Credit, whatever the skill.
//
// It implements the Time Bank of Thurrock's Stronger Together partnership
// (seed documents 000, "Stronger Communities – Where are we now?", and 002,
// the Health and Wellbeing Board's "Community Resilience" report): members
// who are individuals or organisations, organisations running Mini Time
// Banks, credits earned for voluntary work already being done, a community
// pot that members donate to for people who have no credits, and exchanges
// confirmed by both sides or by a coordinator.
//
// The ledger is double-entry and immutable. Amounts are integer minutes
// (MinutesPerCredit = 60). Every transfer is postings that sum to zero, new
// credits enter only through each bank's issuing account, and so the
// balances of a bank network, issuing account included, always sum to
// zero. Balances are maintained by the store from postings, never edited.
//
// # Roles
//
// The first time bank administrator of a store is appointed once, by
// Service.Bootstrap; administrators open borough banks and appoint other
// administrators. Each bank's coordinators run it (and its Mini Time
// Banks): they add members, approve, void and reverse exchanges, grant
// from the pot and read their bank's members, exchanges, statements and
// audit trail. A member reads and acts on their own. Every write names its
// caller and an idempotency key (call.Write); every read of personal data
// names its caller (call.Actor). Reports return only aggregates and are
// open.
//
// # Erasure
//
// Service.Erase removes a member's identifying data on their request:
// their name becomes the pseudonym "Former member <id>", their email and
// phone are emptied, a person's ward is emptied (an organisation keeps the
// ward it works in; ward counts over periods before the erasure no longer
// count the person), their offers and requests are blanked and closed, and
// every copy of their name, email or phone that anyone wrote into text the
// library keeps (exchange categories, descriptions and reasons, transfer
// memos, audit notes, listings, bank names) is replaced by the pseudonym.
// Idempotency receipts never held it: they keep only keyed hashes. The
// SQLite store also overwrites the old copies in its write-ahead log before
// Erase returns.
//
// What is kept, and why: the member's id (a random identifier that names
// no one), kind, bank and dates of joining and leaving; every exchange and
// posting with its amount, date and the ids of who gave, received and
// approved; the audit trail's actions and ids. The ledger must stay whole
// (the balances of a network sum to zero, and other members' balances and
// statements depend on the erased member's postings), and the reports the
// partnership publishes count hours, members and exchanges over periods,
// so they must not change when someone is erased. Those are counts and
// pseudonymous ids, not personal details. Free text that names the member
// in a way the library cannot recognise (a nickname, an address) is not
// found; coordinators should not write such details into descriptions.
//
// # Limits
//
// Free text is checked before any store sees it: names and titles up to
// 200 bytes, emails 254, phones 40, categories 100, descriptions 2000,
// reasons 500; none may hold NUL or other control characters or invalid
// UTF-8 (*FieldError, ErrInvalid). An email names at most one member of a
// network (a borough bank and its Mini Time Banks), enforced by the store
// atomically (ErrConflict). Import files are capped at MaxImportBytes and
// MaxImportRows, and the caller's role is checked before the file is read.
//
// Service holds the rules; a Store persists. Stores are in adapters/memory,
// adapters/sqlite (the embedded default) and adapters/postgres, and all
// pass the conformance suite in timebank/timebanktest.
package timebank
