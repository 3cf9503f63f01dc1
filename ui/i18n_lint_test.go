package ui

import (
	"testing"

	"sunostudio/internal/i18n/i18ntest"
)

// Every text the studio shows comes from the message catalog (internal/i18n/locales).
func TestNoTextBypassesTheCatalog(t *testing.T) {
	found, err := i18ntest.RawText(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Errorf("text outside the catalog: %s", f)
	}
}
