package main

import (
	"go/types"
	"sort"
	"strconv"
	"strings"
)

// Listing returns the exported API of pkg, one line per name, sorted.
func Listing(pkg *types.Package) []string {
	lines, _ := listPackage(pkg)
	return lines
}

// listPackage returns the listing of pkg and, sorted, the lines of it that
// name a type from an internal package, which a user cannot import.
func listPackage(pkg *types.Package) (lines, internal []string) {
	l := lister{pkg: pkg, prefix: "pkg " + pkg.Path() + ", "}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		switch obj := obj.(type) {
		case *types.Const:
			l.constLine(obj)
		case *types.Var:
			l.add("var " + obj.Name() + " " + l.typ(obj.Type()))
		case *types.Func:
			sig := obj.Type().(*types.Signature)
			l.add("func " + obj.Name() + l.tparams(sig.TypeParams()) + l.signature(sig))
		case *types.TypeName:
			l.typeLines(obj)
		}
	}
	sort.Strings(l.lines)
	sort.Strings(l.internal)
	return l.lines, l.internal
}

type lister struct {
	pkg    *types.Package
	prefix string
	lines  []string

	internal []string // lines that name a type from an internal package
	seen     []string // internal types named since the last add
}

func (l *lister) add(s string) {
	l.lines = append(l.lines, l.prefix+s)
	if len(l.seen) > 0 {
		l.internal = append(l.internal, l.prefix+s+" (names "+strings.Join(l.seen, ", ")+")")
		l.seen = nil
	}
}

// isInternal reports whether path is an internal package, importable only
// from inside the tree that holds it.
func isInternal(path string) bool {
	return strings.HasPrefix(path, "internal/") || strings.Contains(path, "/internal/") ||
		strings.HasSuffix(path, "/internal") || path == "internal"
}

func (l *lister) constLine(c *types.Const) {
	t := " " + l.typ(c.Type())
	if b, ok := c.Type().(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
		t = ""
	}
	l.add("const " + c.Name() + t + " = " + c.Val().ExactString())
}

func (l *lister) typeLines(tn *types.TypeName) {
	if tn.IsAlias() {
		l.add("type " + tn.Name() + " = " + l.typ(types.Unalias(tn.Type())))
		return
	}
	named, ok := tn.Type().(*types.Named)
	if !ok {
		return
	}
	head := "type " + tn.Name() + l.tparams(named.TypeParams())
	switch u := named.Underlying().(type) {
	case *types.Struct:
		l.add(head + " struct")
		l.fields(head+" struct, ", u)
	case *types.Interface:
		l.interfaceLines(head, u)
		return // an interface's methods are listed by interfaceLines
	default:
		l.add(head + " " + l.typ(u))
	}
	l.methods(named)
}

// fields lists the exported fields of st, and the exported fields of any
// unexported embedded struct, which are promoted and so part of the API.
func (l *lister) fields(head string, st *types.Struct) {
	for i := range st.NumFields() {
		f := st.Field(i)
		if f.Embedded() {
			if f.Exported() {
				l.add(head + "embedded " + l.typ(f.Type()))
			} else if inner, ok := deref(f.Type()).Underlying().(*types.Struct); ok {
				l.fields(head, inner)
			}
			continue
		}
		if f.Exported() {
			l.add(head + f.Name() + " " + l.typ(f.Type()))
		}
	}
}

func deref(t types.Type) types.Type {
	if p, ok := t.(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func (l *lister) interfaceLines(head string, it *types.Interface) {
	var names []string
	unexported := false
	for i := range it.NumMethods() {
		m := it.Method(i)
		if !m.Exported() {
			unexported = true
			continue
		}
		names = append(names, m.Name())
		l.add(head + " interface, " + m.Name() + l.signature(m.Type().(*types.Signature)))
	}
	if unexported {
		l.add(head + " interface, unexported methods")
	}
	if !it.IsMethodSet() {
		// A constraint: its type set is part of the API.
		l.add(head + " " + l.typ(it))
		return
	}
	l.add(head + " interface { " + strings.Join(names, ", ") + " }")
}

// methods lists the exported methods of *T, promoted ones included, with
// the receiver through which each is reached.
func (l *lister) methods(named *types.Named) {
	recv := named.Obj().Name()
	if tp := named.TypeParams(); tp.Len() > 0 {
		args := make([]string, tp.Len())
		for i := range tp.Len() {
			args[i] = tp.At(i).Obj().Name()
		}
		recv += "[" + strings.Join(args, ", ") + "]"
	}
	value := types.NewMethodSet(named)
	ptr := types.NewMethodSet(types.NewPointer(named))
	for i := range ptr.Len() {
		m := ptr.At(i).Obj()
		if !m.Exported() {
			continue
		}
		r := "*" + recv
		if value.Lookup(m.Pkg(), m.Name()) != nil {
			r = recv
		}
		l.add("method (" + r + ") " + m.Name() + l.signature(m.Type().(*types.Signature)))
	}
}

func (l *lister) qualifier(p *types.Package) string {
	if p == l.pkg {
		return ""
	}
	return p.Name()
}

func (l *lister) tparams(tp *types.TypeParamList) string {
	if tp == nil || tp.Len() == 0 {
		return ""
	}
	s := make([]string, tp.Len())
	for i := range tp.Len() {
		p := tp.At(i)
		s[i] = p.Obj().Name() + " " + l.typ(p.Constraint())
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// signature prints sig without parameter names: (int, ...string) (T, error).
func (l *lister) signature(sig *types.Signature) string {
	var b strings.Builder
	b.WriteString("(")
	params := sig.Params()
	for i := range params.Len() {
		if i > 0 {
			b.WriteString(", ")
		}
		t := params.At(i).Type()
		if sig.Variadic() && i == params.Len()-1 {
			b.WriteString("..." + l.typ(t.(*types.Slice).Elem()))
			continue
		}
		b.WriteString(l.typ(t))
	}
	b.WriteString(")")
	res := sig.Results()
	switch res.Len() {
	case 0:
	case 1:
		b.WriteString(" " + l.typ(res.At(0).Type()))
	default:
		b.WriteString(" (")
		for i := range res.Len() {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(l.typ(res.At(i).Type()))
		}
		b.WriteString(")")
	}
	return b.String()
}

// typ prints t qualified by package name, with function types written
// without parameter names.
func (l *lister) typ(t types.Type) string {
	switch t := t.(type) {
	case *types.Pointer:
		return "*" + l.typ(t.Elem())
	case *types.Slice:
		return "[]" + l.typ(t.Elem())
	case *types.Array:
		return "[" + strconv.FormatInt(t.Len(), 10) + "]" + l.typ(t.Elem())
	case *types.Map:
		return "map[" + l.typ(t.Key()) + "]" + l.typ(t.Elem())
	case *types.Chan:
		switch t.Dir() {
		case types.SendOnly:
			return "chan<- " + l.typ(t.Elem())
		case types.RecvOnly:
			return "<-chan " + l.typ(t.Elem())
		}
		return "chan " + l.typ(t.Elem())
	case *types.Signature:
		return "func" + l.signature(t)
	case *types.Named:
		return l.instance(t.Obj(), t.TypeArgs())
	case *types.Alias:
		return l.instance(t.Obj(), t.TypeArgs())
	}
	return types.TypeString(t, l.qualifier)
}

func (l *lister) instance(obj *types.TypeName, args *types.TypeList) string {
	s := obj.Name()
	if obj.Pkg() != nil && obj.Pkg() != l.pkg {
		s = obj.Pkg().Name() + "." + s
		if isInternal(obj.Pkg().Path()) {
			l.seen = append(l.seen, obj.Pkg().Path()+"."+obj.Name())
		}
	}
	if args != nil && args.Len() > 0 {
		a := make([]string, args.Len())
		for i := range args.Len() {
			a[i] = l.typ(args.At(i))
		}
		s += "[" + strings.Join(a, ", ") + "]"
	}
	return s
}
