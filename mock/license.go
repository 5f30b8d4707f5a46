package mock

import (
	"github.com/koomock/koomock"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock/license"
	"github.com/koomock/koomock/protocol"
)

// newLicense builds the License 2.0 flow on the server's parts; openFlows starts it.
func newLicense(s *Server, customer fixtures.Customer) (*license.Service, error) {
	catalog, err := fixtures.LoadLicenseCatalog()
	if err != nil {
		return nil, err
	}
	settings := s.cfg.License
	if settings.FreezeWindow == 0 {
		settings.FreezeWindow = s.cfg.Market.FreezeFor // one freeze window for instances and license codes
	}
	l := &license.Service{
		Store: s.store, Notifier: s.notifier, Gateway: s.gateway, Scheduler: s.scheduler, Faults: s.faults, Courier: s.courier,
		Now: s.cfg.Clock.Now, IDs: s.cfg.IDs, Catalog: catalog, Customer: customer,
		SellerURL: s.cfg.Market.SellerURL, AccessKey: s.cfg.Market.AccessKey, Settings: settings, Logger: s.cfg.Logger,
	}
	return l, nil
}

// DemoLicenseCodes returns the demo test codes, for the start-up banner.
func (s *Server) DemoLicenseCodes() []koomock.LicenseCode { return s.license.DemoCodes() }

// keyFor returns the key a recorded callback is signed again with: the license key for the license
// callbacks, signingKey's for the others.
func (s *Server) keyFor(e *koomock.Exchange) string {
	switch protocol.Activity(e.Activity) {
	case protocol.RefreshLicenseCode, protocol.UpdateLicenseCodeStatus, protocol.ReleaseLicenseCode:
		return s.license.Key()
	}
	return s.signingKey(e)
}
