// Package i18ntest finds text meant for people that does not go through the catalog.
package i18ntest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// IgnoreMarker on a line exempts that line's literals: for the rare text that is not for
// people (a file name pattern, a protocol word) yet looks like a phrase.
const IgnoreMarker = "i18n:ignore"

// Finding is one literal that looks like text for people.
type Finding struct {
	Pos  string
	Text string
}

func (f Finding) String() string { return fmt.Sprintf("%s: %q", f.Pos, f.Text) }

// RawText parses the non-test Go files of dir and returns the string literals that look like
// prose: any Chinese, several words, or a capitalised word. Keys given to i18n.T/N, import
// paths, struct tags and lines marked IgnoreMarker are skipped. Single lowercase words (key
// names, flag names, ids) are not prose by this rule; the language tests catch untranslated
// words of that kind on screen.
func RawText(dir string) ([]Finding, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var out []Finding
	fset := token.NewFileSet()
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		ignored := map[int]bool{}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if strings.Contains(c.Text, IgnoreMarker) {
					ignored[fset.Position(c.Pos()).Line] = true
				}
			}
		}
		skip := map[*ast.BasicLit]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ImportSpec:
				skip[n.Path] = true
			case *ast.Field:
				if n.Tag != nil {
					skip[n.Tag] = true
				}
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && len(n.Args) > 0 {
					if x, ok := sel.X.(*ast.Ident); ok && x.Name == "i18n" {
						if lit, ok := n.Args[0].(*ast.BasicLit); ok {
							skip[lit] = true
						}
					}
				}
			case *ast.BasicLit:
				if n.Kind != token.STRING || skip[n] {
					return true
				}
				pos := fset.Position(n.Pos())
				if ignored[pos.Line] {
					return true
				}
				v, err := strconv.Unquote(n.Value)
				if err != nil {
					return true
				}
				if Prose(v) {
					out = append(out, Finding{Pos: fmt.Sprintf("%s:%d", filepath.Base(path), pos.Line), Text: v})
				}
			}
			return true
		})
	}
	return out, nil
}

// Prose reports whether s reads like text for people: Chinese, two or more words of letters,
// or a capitalised word ("Mode").
func Prose(s string) bool {
	words := 0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
		letters := 0
		for _, r := range w {
			if unicode.Is(unicode.Han, r) {
				return true
			}
			letters++
		}
		if letters < 2 {
			continue
		}
		words++
		r := []rune(w)
		if unicode.IsUpper(r[0]) && unicode.IsLower(r[1]) {
			return true
		}
	}
	if words < 2 {
		return false
	}
	// Two words count only when separated by spaces (not "ctrl+shift" or "a_b.c").
	return strings.ContainsAny(strings.TrimSpace(s), " \n")
}

// CheckNoRawText fails t for every literal of dir that RawText finds.
func CheckNoRawText(t testing.TB, dir string) {
	t.Helper()
	found, err := RawText(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Errorf("text outside the catalog: %s", f)
	}
}
