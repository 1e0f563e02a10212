// Command apilist keeps a committed listing of the module's exported API, so
// that every change to an exported name is deliberate and shows in review.
//
// For every package of the module that a user can import (not under
// internal/ or examples/, not a main package; the xxxtest conformance
// packages are listed, since other councils' stores import them) it writes api/<path>.txt, where
// <path> is the import path relative to the module with slashes as dashes
// (api/timebank.txt, api/adapters-sqlite.txt,
// api/timebank-timebanktest.txt). Each file lists one exported name a line,
// sorted, in the style of the Go project's own api/go1.*.txt files:
//
//	pkg github.com/strongertogether/community/timebank, func NewService(Store, ...Option) *Service
//	pkg github.com/strongertogether/community/timebank, method (*Service) Confirm(context.Context, call.Write, string) (*Exchange, error)
//	pkg github.com/strongertogether/community/timebank, type Member struct
//	pkg github.com/strongertogether/community/timebank, type Member struct, Email string
//	pkg github.com/strongertogether/community/timebank, type Store interface, Apply(context.Context, Batch) error
//	pkg github.com/strongertogether/community/timebank, const StatusOpen Status = "open"
//	pkg github.com/strongertogether/community/timebank, var ErrNotFound error
//
// Parameter names are left out (renaming one does not change the API);
// types from other packages are qualified by package name. Methods are those
// of the method set of *T, promoted ones included, each with the receiver
// (T or *T) through which it is reached. An interface lists every method in
// its method set, and "unexported methods" when it has any.
//
// The packages are type-checked from the compiler's export data, which
// `go list -export` builds, for GOOS=linux GOARCH=amd64 whatever the host,
// so the listing is the same on every machine.
//
// Usage, from anywhere in the module:
//
//	go run ./internal/cmd/apilist        # check: exit 1 and show the diff if api/ is stale
//	go run ./internal/cmd/apilist -w     # rewrite api/ from the code
//
// The check runs in .ci/run. It fails when a listing differs from the code,
// printing per package the lines removed (-) and added (+); when a package
// has no listing; and when a listing has no package. To change the API on
// purpose, change the code, run `go run ./internal/cmd/apilist -w`, and
// commit the code and the api/ files together.
//
// Both modes also warn, without failing, about each exported name whose
// type comes from an internal package (which a user cannot import, and
// whose promise the listing therefore cannot show).
package main
