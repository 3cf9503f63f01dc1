package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// moduleRoot is where the code that uses the catalog lives.
const moduleRoot = "../.."

func TestCatalogLoads(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	for _, l := range Languages {
		if len(catalogsLoaded()[l]) == 0 {
			t.Errorf("%s: no messages", l)
		}
	}
}

// Every message exists in every language: a key in one and not the other fails here.
func TestEveryLanguageHasEveryKey(t *testing.T) {
	cats := catalogsLoaded()
	for _, a := range Languages {
		for _, b := range Languages {
			if a == b {
				continue
			}
			var missing []string
			for k := range cats[a] {
				if _, ok := cats[b][k]; !ok {
					missing = append(missing, k)
				}
			}
			sort.Strings(missing)
			for _, k := range missing {
				t.Errorf("%q is in %s but not in %s", k, a, b)
			}
		}
	}
}

func TestNoEmptyMessages(t *testing.T) {
	for l, c := range catalogsLoaded() {
		for k, v := range c {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %q is empty", l, k)
			}
		}
	}
}

var verbRE = regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0]*(?:\d+|\*)?(?:\.\d+)?([a-zA-Z%])`)

// verbs maps each argument (1-based) of a format to the verb that prints it.
func verbs(format string) (map[int]byte, error) {
	out := map[int]byte{}
	arg := 0
	for _, m := range verbRE.FindAllStringSubmatch(format, -1) {
		if m[2] == "%" {
			continue
		}
		if m[1] != "" {
			n, _ := strconv.Atoi(m[1])
			arg = n
		} else {
			arg++
		}
		v := m[2][0]
		if v == 'q' {
			// %q and %s both print a string; a translation may quote with its own marks
			// (zh-CN: 「%s」) instead of Go's ASCII quotes.
			v = 's'
		}
		if prev, ok := out[arg]; ok && prev != v {
			return nil, &verbErr{arg, prev, v}
		}
		out[arg] = v
	}
	return out, nil
}

type verbErr struct {
	arg  int
	a, b byte
}

func (e *verbErr) Error() string {
	return "argument " + strconv.Itoa(e.arg) + " printed as both %" + string(e.a) + " and %" + string(e.b)
}

// A translation prints the same arguments with the same verbs (in any order), so that one
// call site fits both languages.
func TestTranslationsTakeTheSameArguments(t *testing.T) {
	cats := catalogsLoaded()
	for k, en := range cats[English] {
		want, err := verbs(en)
		if err != nil {
			t.Errorf("en %q: %v", k, err)
			continue
		}
		for _, l := range Languages[1:] {
			s, ok := cats[l][k]
			if !ok {
				continue
			}
			got, err := verbs(s)
			if err != nil {
				t.Errorf("%s %q: %v", l, k, err)
				continue
			}
			if !sameVerbs(want, got) {
				t.Errorf("%s %q takes %v, English takes %v:\n  en: %s\n  %s: %s", l, k, show(got), show(want), en, l, s)
			}
		}
	}
}

func sameVerbs(a, b map[int]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func show(m map[int]byte) string {
	var parts []string
	for i := 1; i <= len(m); i++ {
		parts = append(parts, strconv.Itoa(i)+":%"+string(m[i]))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// call is one i18n.T or i18n.N call with a literal key.
type call struct {
	pos    string
	fn     string // "T" or "N"
	key    string
	args   int // arguments after the key (for N, after the count)
	spread bool
}

type scan struct {
	calls    []call
	literals map[string]bool // every string literal outside tests
}

func scanModule(t *testing.T) scan {
	t.Helper()
	s := scan{literals: map[string]bool{}}
	fset := token.NewFileSet()
	err := filepath.WalkDir(moduleRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "testdata", "vendor", "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind == token.STRING {
					if v, err := strconv.Unquote(n.Value); err == nil {
						s.literals[v] = true
					}
				}
			case *ast.CallExpr:
				if c, ok := catalogCall(fset, n); ok {
					s.calls = append(s.calls, c)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func catalogCall(fset *token.FileSet, n *ast.CallExpr) (call, bool) {
	sel, ok := n.Fun.(*ast.SelectorExpr)
	if !ok {
		return call{}, false
	}
	if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "i18n" || (sel.Sel.Name != "T" && sel.Sel.Name != "N") {
		return call{}, false
	}
	if len(n.Args) == 0 {
		return call{}, false
	}
	lit, ok := n.Args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return call{}, false
	}
	key, err := strconv.Unquote(lit.Value)
	if err != nil {
		return call{}, false
	}
	c := call{pos: fset.Position(n.Pos()).String(), fn: sel.Sel.Name, key: key, args: len(n.Args) - 1, spread: n.Ellipsis.IsValid()}
	if c.fn == "N" {
		c.args-- // the count is the message's first argument, added by N
	}
	return c, true
}

// Every key the code asks for exists, with as many arguments as its English message prints.
func TestCodeAsksForKeysThatExist(t *testing.T) {
	s := scanModule(t)
	if len(s.calls) == 0 {
		t.Fatal("found no i18n.T calls: is moduleRoot right?")
	}
	en := catalogsLoaded()[English]
	for _, c := range s.calls {
		keys := []string{c.key}
		if c.fn == "N" {
			keys = []string{c.key + ".one", c.key + ".other"}
		}
		for _, k := range keys {
			msg, ok := en[k]
			if !ok {
				t.Errorf("%s: no message %q", c.pos, k)
				continue
			}
			if c.spread {
				continue
			}
			vs, _ := verbs(msg)
			want := len(vs)
			if c.fn == "N" {
				want-- // the count
			}
			if c.args != want {
				t.Errorf("%s: %q prints %d arguments, the call gives %d", c.pos, k, want, c.args)
			}
		}
	}
}

// Every message is used somewhere (its key is written in the code), so the catalog does not
// fill up with text nobody sees and translators do not work for nothing.
func TestEveryMessageIsUsed(t *testing.T) {
	s := scanModule(t)
	var unused []string
	for k := range catalogsLoaded()[English] {
		base := strings.TrimSuffix(strings.TrimSuffix(k, ".one"), ".other")
		if !s.literals[k] && !s.literals[base] {
			unused = append(unused, k)
		}
	}
	sort.Strings(unused)
	for _, k := range unused {
		t.Errorf("message %q is not used by the code", k)
	}
}
