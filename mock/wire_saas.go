package mock

import (
	"context"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/fixtures"
	"github.com/koomock/koomock/mock/delivery"
	"github.com/koomock/koomock/mock/dialtest"
	"github.com/koomock/koomock/mock/saas"
	"github.com/koomock/koomock/mock/saasapi"
	"github.com/koomock/koomock/protocol"
)

// saasActivities are the activities the callback faults can be aimed at.
var saasActivities = []string{
	string(protocol.NewInstance), string(protocol.QueryInstance), string(protocol.RefreshInstance),
	string(protocol.UpdateInstanceStatus), string(protocol.ReleaseInstance), string(protocol.UpgradeInstance),
	string(protocol.ChangeInstanceCheck), dialtest.Target,
}

// wireSaaS builds the SaaS flows: the courier every callback goes through, the market, its open APIs
// and the dial tests.
func (s *Server) wireSaaS(catalog fixtures.Catalog) {
	cfg := s.cfg
	s.courier = &delivery.Courier{
		Store: s.store, Notifier: s.notifier, Scheduler: s.scheduler, Faults: s.faults,
		Now: cfg.Clock.Now, Logger: cfg.Logger, Targets: saasActivities,
	}
	s.market = &saas.Market{
		Store: s.store, Notifier: s.notifier, Courier: s.courier, Scheduler: s.scheduler,
		Now: cfg.Clock.Now, IDs: cfg.IDs, Catalog: catalog,
		SellerURL: cfg.Market.SellerURL, AccessKey: cfg.Market.AccessKey, Options: cfg.Market.options(), Logger: cfg.Logger,
	}
	s.saasAPI = &saasapi.API{
		Gateway: s.gateway, Recorder: s.recorder, Spec: s.marketplace, Store: s.store,
		LookupOrder: s.market.LookupOrder, Now: cfg.Clock.Now, AccessKey: cfg.Market.AccessKey,
		OtherKeys:     map[string]string{"the API SK": cfg.Market.SK, "the kit key": cfg.Joint.KitKey},
		UsagePushAPIG: cfg.Market.UsagePushAPIG, Logger: cfg.Logger,
	}
	s.dialer = &dialtest.Tester{
		Store: s.store, Courier: s.courier, Scheduler: s.scheduler, Catalog: catalog, Now: cfg.Clock.Now, IDs: cfg.IDs,
		SellerURL: cfg.Market.SellerURL, AccessKey: cfg.Market.AccessKey, Judging: saas.Judging,
		ProductOf: func(ctx context.Context, e koomock.Exchange) string {
			return s.market.ProductOf(ctx, e.OrderID, e.InstanceID)
		},
		Times: cfg.Market.DialTimes, Logger: cfg.Logger,
	}
}
