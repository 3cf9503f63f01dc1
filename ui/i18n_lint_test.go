package ui

import (
	"testing"

	"sunostudio/internal/i18n/i18ntest"
)

// Every text the studio shows comes from the message catalog (internal/i18n/locales).
func TestNoTextBypassesTheCatalog(t *testing.T) {
	i18ntest.CheckNoRawText(t, ".")
}
