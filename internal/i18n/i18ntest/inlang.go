package i18ntest

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"sunostudio/internal/i18n"
)

// InLanguage runs f with the catalog in language l, in a child process of the test binary.
// The language is process-wide and other tests of a package may run in parallel, reading
// English: switching it in place would change what they read. So the test runs itself again,
// alone, in a process of its own, and the parent only checks that the child passed.
func InLanguage(t *testing.T, l i18n.Lang, f func(t *testing.T)) {
	t.Helper()
	const env = "SUNOSTUDIO_TEST_LANGUAGE"
	if os.Getenv(env) == t.Name() {
		i18n.Use(l)
		t.Cleanup(func() { i18n.Use(i18n.English) })
		f(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), env+"="+t.Name())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("in %s: %v\n%s", l, err, out)
	}
	if !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("the test did not run in the child process:\n%s", out)
	}
}
