package assets

import (
	"fmt"
	"time"
)

// DefaultURLValidity is how long a download URL the deployed-object API hands out stays valid. The
// real service's is not documented; an hour covers a one-click deployment.
const DefaultURLValidity = time.Hour

// Spellings of the deployed-object path (spec license-login §5 UNCERTAIN).
const (
	// SpellingDocumented serves /api/mkp-openapi-public/v1/asset/deployed-object (the default).
	SpellingDocumented = "asset"
	// SpellingTypo serves /api/mkp-openapi-public/v1/assset/deployed-object, as golangsdk spells it.
	SpellingTypo = "assset"
	// SpellingBoth serves both.
	SpellingBoth = "both"
)

// Settings are the asset centre's switches. The zero value means the defaults.
type Settings struct {
	// Dir is where package bytes are stored; empty means a temporary directory removed on Close
	// (package mock passes a directory beside a file database).
	Dir string
	// URLValidity is how long a download URL stays valid, on koomock's clock.
	URLValidity time.Duration
	// PathSpelling is SpellingDocumented (default), SpellingTypo or SpellingBoth.
	PathSpelling string
}

// WithDefaults fills in the defaults and rejects impossible settings.
func (s Settings) WithDefaults() (Settings, error) {
	if s.URLValidity == 0 {
		s.URLValidity = DefaultURLValidity
	}
	if s.URLValidity < 0 {
		return s, fmt.Errorf("asset download URL validity %s must be positive", s.URLValidity)
	}
	switch s.PathSpelling {
	case "":
		s.PathSpelling = SpellingDocumented
	case SpellingDocumented, SpellingTypo, SpellingBoth:
	default:
		return s, fmt.Errorf("asset path spelling %q: want %s, %s or %s", s.PathSpelling, SpellingDocumented, SpellingTypo, SpellingBoth)
	}
	return s, nil
}
