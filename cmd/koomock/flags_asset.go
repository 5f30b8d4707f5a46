package main

import (
	"time"

	"github.com/koomock/koomock/mock/assets"
)

// assetFlags are the asset centre's settings serve takes.
type assetFlags struct {
	dir          string
	pathSpelling string
	urlValidity  durationValue
}

func (a *assetFlags) register(fs *flagSet) {
	fs.StringVar(&a.dir, "asset-dir", "", "the `directory` uploaded asset packages are stored in (default: beside the database, koomock.db-assets; a temporary one with --db :memory:)")
	fs.StringVar(&a.pathSpelling, "asset-path-spelling", assets.SpellingDocumented, "which deployed-object `path` to serve, uncertain in the spec: asset (documented), assset (golangsdk's spelling) or both")
	fs.Var(&a.urlValidity, "asset-url-validity", "how long a package download URL from deployed-object stays valid, on koomock's clock (default 1h)")
}

// settings returns the mock's asset-centre settings.
func (a *assetFlags) settings() assets.Settings {
	return assets.Settings{Dir: a.dir, PathSpelling: a.pathSpelling, URLValidity: time.Duration(a.urlValidity)}
}
