package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/importer"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

func main() {
	write := flag.Bool("w", false, "rewrite api/ from the code instead of checking it")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./internal/cmd/apilist [-w]\n\n"+
			"Checks (or with -w rewrites) the committed listing of the module's exported API in api/.\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	root, err := moduleRoot(".")
	if err != nil {
		fmt.Fprintln(os.Stderr, "apilist:", err)
		os.Exit(2)
	}
	os.Exit(run(root, *write, os.Stdout, os.Stderr))
}

// run checks or rewrites root/api and returns the exit code: 0 when the
// listing matches the code (or was rewritten), 1 when it differs, 2 when
// the packages could not be loaded.
func run(root string, write bool, stdout, stderr io.Writer) int {
	got, err := load(root)
	if err != nil {
		fmt.Fprintln(stderr, "apilist:", err)
		return 2
	}
	warnInternal(stderr, got)
	dir := filepath.Join(root, "api")
	if write {
		if err := writeAll(dir, got); err != nil {
			fmt.Fprintln(stderr, "apilist:", err)
			return 2
		}
		for _, f := range sortedKeys(got) {
			fmt.Fprintf(stdout, "api/%s: %d lines\n", f, len(got[f].lines))
		}
		return 0
	}
	report, err := check(dir, got)
	if err != nil {
		fmt.Fprintln(stderr, "apilist:", err)
		return 2
	}
	if report == "" {
		return 0
	}
	fmt.Fprint(stderr, "apilist: the committed API listing in api/ differs from the code.\n"+
		"If the change is deliberate, run `go run ./internal/cmd/apilist -w` and commit api/ with it.\n\n")
	fmt.Fprint(stderr, report)
	return 1
}

// warnInternal says which exported names use a type from an internal
// package: a user can hold such a value but cannot name its type, and the
// listing cannot show what it promises. It is a warning, not a failure.
func warnInternal(w io.Writer, got map[string]listing) {
	var lines []string
	for _, name := range sortedKeys(got) {
		lines = append(lines, got[name].internal...)
	}
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(w, "apilist: warning: %d exported names use a type from an internal package:\n", len(lines))
	for _, line := range lines {
		fmt.Fprintln(w, "\t"+line)
	}
	fmt.Fprintln(w)
}

// A listing is the API of one package, and the file that holds it.
type listing struct {
	path     string // import path
	lines    []string
	internal []string // lines that name a type from an internal package
}

// fileName is the listing's file under api/: the import path relative to
// the module, slashes as dashes.
func fileName(modPath, pkgPath string) string {
	rel := strings.TrimPrefix(strings.TrimPrefix(pkgPath, modPath), "/")
	if rel == "" {
		rel = modPath[strings.LastIndex(modPath, "/")+1:]
	}
	return strings.ReplaceAll(rel, "/", "-") + ".txt"
}

type goPackage struct {
	ImportPath string
	Name       string
	Export     string
	DepOnly    bool
	Standard   bool
	Module     *struct {
		Path string
		Main bool
	}
	Error *struct{ Err string }
}

// listed reports whether a package of the main module is one a user can
// import: not a command, not under internal/ or examples/.
func listed(modPath string, p goPackage) bool {
	if p.Name == "main" || p.Module == nil || !p.Module.Main {
		return false
	}
	rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, modPath), "/")
	for _, elem := range strings.Split(rel, "/") {
		if elem == "internal" || elem == "examples" || elem == "testdata" {
			return false
		}
	}
	return true
}

// load type-checks the module's listed packages from export data and
// returns their listings by file name.
func load(root string) (map[string]listing, error) {
	modPath, err := goCmd(root, "list", "-m", "-f", "{{.Path}}")
	if err != nil {
		return nil, err
	}
	modPath = strings.TrimSpace(modPath)
	all, err := goList(root, "-e", "./...")
	if err != nil {
		return nil, err
	}
	var roots []string
	for _, p := range all {
		if listed(modPath, p) {
			roots = append(roots, p.ImportPath)
		}
	}
	if len(roots) == 0 {
		return nil, fmt.Errorf("no importable packages in module %s", modPath)
	}
	pkgs, err := goList(root, append([]string{"-e", "-export", "-deps"}, roots...)...)
	if err != nil {
		return nil, err
	}
	exports := map[string]string{}
	var problems []string
	for _, p := range pkgs {
		if p.Error != nil {
			problems = append(problems, p.ImportPath+": "+p.Error.Err)
		}
		exports[p.ImportPath] = p.Export
	}
	if len(problems) > 0 {
		return nil, errors.New("packages do not build:\n\t" + strings.Join(problems, "\n\t"))
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		f, ok := exports[path]
		if !ok || f == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(f)
	})
	out := map[string]listing{}
	for _, path := range roots {
		pkg, err := imp.Import(path)
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", path, err)
		}
		lines, internal := listPackage(pkg)
		out[fileName(modPath, path)] = listing{path: path, lines: lines, internal: internal}
	}
	return out, nil
}

func goList(dir string, args ...string) ([]goPackage, error) {
	args = append([]string{"list", "-json=ImportPath,Name,Export,DepOnly,Standard,Module,Error"}, args...)
	out, err := goCmd(dir, args...)
	if err != nil {
		return nil, err
	}
	var pkgs []goPackage
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var p goPackage
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("go list output: %w", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// goCmd runs the go command in dir for linux/amd64, so that the listing
// does not depend on the machine it is made on.
func goCmd(dir string, args ...string) (string, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=amd64")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), nil
}

func moduleRoot(dir string) (string, error) {
	gomod, err := goCmd(dir, "env", "GOMOD")
	if err != nil {
		return "", err
	}
	gomod = strings.TrimSpace(gomod)
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside a Go module")
	}
	return filepath.Dir(gomod), nil
}

func writeAll(dir string, got map[string]listing) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return err
	}
	for _, f := range old {
		if _, ok := got[filepath.Base(f)]; !ok {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	for name, l := range got {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text(l.lines)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func text(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

// check compares the files in dir with got and returns a readable report
// of every difference, or "" when there is none.
func check(dir string, got map[string]listing) (string, error) {
	committed := map[string][]string{}
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return "", err
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		committed[filepath.Base(f)] = splitLines(string(b))
	}
	var b strings.Builder
	for _, name := range sortedKeys(got) {
		l := got[name]
		old, ok := committed[name]
		if !ok {
			fmt.Fprintf(&b, "%s: no listing: api/%s is missing (%d exported lines)\n\n", l.path, name, len(l.lines))
			continue
		}
		if d := diff(old, l.lines); d != "" {
			fmt.Fprintf(&b, "%s (api/%s):\n%s\n", l.path, name, d)
		}
	}
	for _, name := range sortedKeys(committed) {
		if _, ok := got[name]; !ok {
			fmt.Fprintf(&b, "api/%s: no package: the listing names no importable package of the module\n\n", name)
		}
	}
	return b.String(), nil
}

func splitLines(s string) []string {
	var lines []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimRight(line, "\r"); line != "" {
			lines = append(lines, line)
		}
	}
	sort.Strings(lines)
	return lines
}

// diff merges two sorted listings and returns the removed lines (-) and the
// added ones (+) in sort order, so that a changed signature shows as a -
// line followed by its + line.
func diff(old, new []string) string {
	var b strings.Builder
	i, j := 0, 0
	for i < len(old) || j < len(new) {
		switch {
		case j == len(new) || (i < len(old) && old[i] < new[j]):
			b.WriteString("\t- " + old[i] + "\n")
			i++
		case i == len(old) || new[j] < old[i]:
			b.WriteString("\t+ " + new[j] + "\n")
			j++
		default:
			i++
			j++
		}
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
