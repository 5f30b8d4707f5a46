package runner

import (
	"testing"

	"github.com/koomock/koomock/i18n"
)

// TestAreaAndProductKeysSayTheirEnglish keeps the catalog's area and product phrases the English
// texts areaOwners and productNames show, for every area and product.
func TestAreaAndProductKeysSayTheirEnglish(t *testing.T) {
	en := i18n.For(i18n.English)
	for tag, owner := range areaOwners {
		if got := en.T(areaKeys[tag]); got != owner {
			t.Errorf("area %s: catalog %q says %q, areaOwners %q", tag, areaKeys[tag], got, owner)
		}
	}
	for p, name := range productNames {
		if got := en.T(productKeys[p]); got != name {
			t.Errorf("product %s: catalog %q says %q, productNames %q", p, productKeys[p], got, name)
		}
	}
}
