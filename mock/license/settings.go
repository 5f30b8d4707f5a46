package license

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/koomock/koomock/protocol"
)

// Defaults of the License 2.0 lifecycle (spec license-login §1.1, §1.7).
const (
	// DefaultFreezeWindow: an expired code stays frozen "up to 15 days" before it is released.
	DefaultFreezeWindow = 15 * 24 * time.Hour
	// DefaultRetryEvery and DefaultRetries: failed status and release callbacks are "retried 60 times
	// every 2 minutes"; koomock retries refreshLicenseCode the same way.
	DefaultRetryEvery = 2 * time.Minute
	DefaultRetries    = 60
	// DefaultTestValidity is how long a test code is valid unless the request says otherwise.
	DefaultTestValidity = 30 * 24 * time.Hour
	// DefaultUsageFailField names the list of refused codes in a software-usage-info answer; the
	// spec's copy is cut after "check_fail_".
	DefaultUsageFailField = "check_fail_license_list"
)

// Shapes of the data of a v2 heartbeat answer, which the spec could not read (§1.5 UNCERTAIN).
const (
	// ShapeArray: data is an array of LicenseInfo (the default, by analogy with v1's data object).
	ShapeArray = "array"
	// ShapeObject: data is {"license_info_list": [LicenseInfo...]}.
	ShapeObject = "object"
)

// Settings are the License 2.0 switches. The zero value means the documented defaults.
type Settings struct {
	// URL is the seller's license production URL; empty means the seller URL.
	URL string
	// Key is the access key bound to the license interfaces, which signs the license callbacks
	// (KooGallery binds one key per interface type); empty means the basic-interface access key.
	Key string
	// FreezeWindow is how long an expired code stays frozen before KooGallery releases it.
	FreezeWindow time.Duration
	// RetryEvery and Retries: how often and how many times a failed license callback is sent again.
	RetryEvery time.Duration
	Retries    int
	// FrozenStatus is the status the query API reports for a frozen code: EXPIRED (default) or FROZEN.
	FrozenStatus protocol.LicenseStatus
	// V2HeartbeatShape is ShapeArray (default) or ShapeObject.
	V2HeartbeatShape string
	// UsageFailField names the list of refused codes in a software-usage-info answer.
	UsageFailField string
}

// WithDefaults fills in the defaults and rejects impossible settings.
func (s Settings) WithDefaults() (Settings, error) {
	if s.URL != "" {
		u, err := url.Parse(s.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return s, fmt.Errorf("license URL %q is not an absolute http:// or https:// URL", s.URL)
		}
	}
	if s.FreezeWindow == 0 {
		s.FreezeWindow = DefaultFreezeWindow
	}
	if s.RetryEvery == 0 {
		s.RetryEvery = DefaultRetryEvery
	}
	if s.Retries == 0 {
		s.Retries = DefaultRetries
	}
	if s.FreezeWindow < 0 || s.RetryEvery < 0 || s.Retries < 0 {
		return s, errors.New("license freeze window, retry interval and retries must not be negative")
	}
	switch s.FrozenStatus {
	case "":
		s.FrozenStatus = protocol.LicenseExpired
	case protocol.LicenseExpired, protocol.LicenseFrozen:
	default:
		return s, fmt.Errorf("license frozen status %q: want EXPIRED or FROZEN", s.FrozenStatus)
	}
	switch s.V2HeartbeatShape {
	case "":
		s.V2HeartbeatShape = ShapeArray
	case ShapeArray, ShapeObject:
	default:
		return s, fmt.Errorf("license v2 heartbeat shape %q: want %s or %s", s.V2HeartbeatShape, ShapeArray, ShapeObject)
	}
	if s.UsageFailField == "" {
		s.UsageFailField = DefaultUsageFailField
	}
	return s, nil
}
