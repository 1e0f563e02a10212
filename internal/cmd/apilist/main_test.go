package main

import (
	"bytes"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixtureModule lays out a module in a temporary directory with the
// package lib copied from testdata/<version>, plus an internal package and
// a command, which must not be listed.
func fixtureModule(t *testing.T, version string) string {
	t.Helper()
	root := t.TempDir()
	write(t, filepath.Join(root, "go.mod"), "module example.com/fixture\n\ngo 1.26\n")
	write(t, filepath.Join(root, "internal", "hidden", "hidden.go"), "package hidden\n\nfunc Hidden() {}\n")
	write(t, filepath.Join(root, "cmd", "tool", "main.go"), "package main\n\nfunc Exported() {}\n\nfunc main() {}\n")
	setLib(t, root, version)
	return root
}

func setLib(t *testing.T, root, version string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", version, "lib.go"))
	require.NoError(t, err)
	write(t, filepath.Join(root, "lib", "lib.go"), string(src))
}

func write(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

func runIn(t *testing.T, root string, w bool) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(root, w, &stdout, &stderr)
	return code, stdout.String() + stderr.String()
}

func TestWriteThenCheck(t *testing.T) {
	root := fixtureModule(t, "v1")
	code, out := runIn(t, root, true)
	require.Equal(t, 0, code, out)

	entries, err := os.ReadDir(filepath.Join(root, "api"))
	require.NoError(t, err)
	require.Len(t, entries, 1, "only lib is importable: internal/ and commands are not listed")
	got, err := os.ReadFile(filepath.Join(root, "api", "lib.txt"))
	require.NoError(t, err)
	const p = "pkg example.com/fixture/lib, "
	assert.Equal(t, strings.Join([]string{
		p + "const Active Status = \"active\"",
		p + "func Change(string) error",
		p + "func Removed()",
		p + "method (Member) Name() string",
		p + "type Member struct",
		p + "type Member struct, Email string",
		p + "type Member struct, ID string",
		p + "type Status string",
		p + "type Store interface { Member }",
		p + "type Store interface, Member(context.Context, string) (*Member, error)",
		p + "var ErrGone error",
	}, "\n")+"\n", string(got))

	code, out = runIn(t, root, false)
	assert.Equal(t, 0, code, "a fresh listing checks clean: %s", out)
}

func TestCheckShowsChanges(t *testing.T) {
	root := fixtureModule(t, "v1")
	code, out := runIn(t, root, true)
	require.Equal(t, 0, code, out)

	setLib(t, root, "v2")
	code, out = runIn(t, root, false)
	require.Equal(t, 1, code, out)
	const p = "pkg example.com/fixture/lib, "
	assert.Contains(t, out, "example.com/fixture/lib (api/lib.txt):\n")
	assert.Contains(t, out, "\t- "+p+"func Change(string) error\n\t+ "+p+"func Change(string, int) (int, error)\n",
		"a changed signature shows as the old line then the new")
	assert.Contains(t, out, "\t- "+p+"func Removed()\n", "a removed func")
	assert.Contains(t, out, "\t+ "+p+"type Member struct, Phone string\n", "an added field")
	assert.NotContains(t, out, "Email", "unchanged lines are not shown")
	assert.Contains(t, out, "go run ./internal/cmd/apilist -w", "the report says how to update the listing")

	code, out = runIn(t, root, true)
	require.Equal(t, 0, code, out)
	code, out = runIn(t, root, false)
	assert.Equal(t, 0, code, "after -w the check passes: %s", out)
}

func TestCheckMissingAndOrphanListings(t *testing.T) {
	root := fixtureModule(t, "v1")
	require.NoError(t, os.MkdirAll(filepath.Join(root, "api"), 0o755))
	write(t, filepath.Join(root, "api", "gone.txt"), "pkg example.com/fixture/gone, func F()\n")

	code, out := runIn(t, root, false)
	require.Equal(t, 1, code, out)
	assert.Contains(t, out, "example.com/fixture/lib: no listing: api/lib.txt is missing")
	assert.Contains(t, out, "api/gone.txt: no package")

	code, out = runIn(t, root, true)
	require.Equal(t, 0, code, out)
	assert.NoFileExists(t, filepath.Join(root, "api", "gone.txt"), "-w removes a listing that has no package")
	code, out = runIn(t, root, false)
	assert.Equal(t, 0, code, out)
}

func TestCheckFailsOnBrokenPackage(t *testing.T) {
	root := fixtureModule(t, "v1")
	write(t, filepath.Join(root, "lib", "broken.go"), "package lib\n\nfunc Broken() int { return \"x\" }\n")
	code, out := runIn(t, root, false)
	assert.Equal(t, 2, code, out)
	assert.Contains(t, out, "example.com/fixture/lib")
}

// TestListingForms type-checks source with no imports and checks the line
// for each kind of exported name.
func TestListingForms(t *testing.T) {
	const src = `package forms

type Set[T comparable] struct{ items map[T]bool }

func (s *Set[T]) Add(v T)            {}
func (s Set[T]) Len() int            { return 0 }
func Map[T, U any](xs []T, f func(x T) U) []U { return nil }

type inner struct{ Promoted int }

func (inner) Hello() {}

type Outer struct {
	inner
	*Set[string]
	Ch   <-chan int
	Arr  [3]byte
	Fn   func(a, b int) (c string, err error)
}

type Number interface{ ~int | ~int64 }

type Mixed interface {
	Exported(...string)
	hidden()
}

type Alias = Outer

const Untyped = 1 << 10

func Variadic(prefix string, xs ...int) {}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "forms.go", src, 0)
	require.NoError(t, err)
	conf := types.Config{Importer: importer.Default()}
	pkg, err := conf.Check("example.com/forms", fset, []*ast.File{f}, nil)
	require.NoError(t, err)

	const p = "pkg example.com/forms, "
	want := []string{
		p + "const Untyped = 1024",
		p + "func Map[T any, U any]([]T, func(T) U) []U",
		p + "func Variadic(string, ...int)",
		p + "method (*Set[T]) Add(T)",
		p + "method (Outer) Add(string)",
		p + "method (Outer) Hello()",
		p + "method (Outer) Len() int",
		p + "method (Set[T]) Len() int",
		p + "type Alias = Outer",
		p + "type Mixed interface { Exported }",
		p + "type Mixed interface, Exported(...string)",
		p + "type Mixed interface, unexported methods",
		p + "type Number interface{~int | ~int64}",
		p + "type Outer struct",
		p + "type Outer struct, Arr [3]byte",
		p + "type Outer struct, Ch <-chan int",
		p + "type Outer struct, Fn func(int, int) (string, error)",
		p + "type Outer struct, Promoted int",
		p + "type Outer struct, embedded *Set[string]",
		p + "type Set[T comparable] struct",
	}
	assert.Equal(t, strings.Join(want, "\n"), strings.Join(Listing(pkg), "\n"))
}

func TestWarnsOnInternalTypes(t *testing.T) {
	root := fixtureModule(t, "v1")
	write(t, filepath.Join(root, "internal", "table", "table.go"), "package table\n\ntype Table struct{}\n")
	write(t, filepath.Join(root, "lib", "uses.go"), "package lib\n\nimport \"example.com/fixture/internal/table\"\n\nvar Transitions *table.Table\n")
	code, out := runIn(t, root, true)
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "warning: 1 exported names use a type from an internal package")
	assert.Contains(t, out, "var Transitions *table.Table (names example.com/fixture/internal/table.Table)")
}

func TestFileName(t *testing.T) {
	m := "github.com/strongertogether/community"
	assert.Equal(t, "timebank.txt", fileName(m, m+"/timebank"))
	assert.Equal(t, "adapters-sqlite.txt", fileName(m, m+"/adapters/sqlite"))
	assert.Equal(t, "community.txt", fileName(m, m))
}
