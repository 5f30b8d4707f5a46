package controlapi

import (
	"context"
	"net/http"
	"net/url"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
)

// The lifecycle actions on an instance: POST /_mock/instances/{id}/{action}.
const (
	ActRenew         = "renew"          // RENEW order, refreshInstance RENEWAL (and UNFREEZE when frozen)
	ActConvert       = "convert"        // TRIAL_TO_FORMAL order, refreshInstance TRIAL_TO_FORMAL
	ActCancelRenewal = "cancel-renewal" // refund the latest renewal not yet begun: UNSUBSCRIBE_RENEWAL_PERIOD
	ActRenewalChange = "renewal-change" // changeInstanceCheck, then a renewal to another product: RENEWAL_CHANGE
	ActChangeCheck   = "change-check"   // changeInstanceCheck alone
	ActUpgrade       = "upgrade"        // CHANGE order, upgradeInstance
	ActFreeze        = "freeze"         // updateInstanceStatus FREEZE (a violation or arrears)
	ActUnfreeze      = "unfreeze"       // updateInstanceStatus UNFREEZE
	ActExpire        = "expire"         // the period ends now: FREEZE, release after the freeze window
	ActRelease       = "release"        // releaseInstance now (again, if it was released already)
	ActUnsubscribe   = "unsubscribe"    // UNSUBSCRIBE order, releaseInstance with the order
)

// Actions lists every lifecycle action.
var Actions = []string{ActRenew, ActConvert, ActCancelRenewal, ActRenewalChange, ActChangeCheck, ActUpgrade,
	ActFreeze, ActUnfreeze, ActExpire, ActRelease, ActUnsubscribe}

// InstanceAction parameterises a lifecycle action; zero fields take defaults.
type InstanceAction struct {
	// PeriodType and PeriodNumber are the period bought by a renewal or a conversion (default: the
	// instance's own period, or one year).
	PeriodType   koomock.PeriodType `json:"periodType,omitempty"`
	PeriodNumber int                `json:"periodNumber,omitempty"`
	// ProductID is the product a renewal, conversion, upgrade or change moves to.
	ProductID   string `json:"productId,omitempty"`
	LinearValue int    `json:"linearValue,omitempty"`
	// ExpireTimeDigits is how refreshInstance writes expireTime: 14 or 17 (default: the server's setting).
	ExpireTimeDigits int `json:"expireTimeDigits,omitempty"`
	// ProductInfoForm is how changeInstanceCheck sends productInfo: "object" or "string" (default:
	// the server's setting).
	ProductInfoForm string `json:"productInfoForm,omitempty"`
}

// ActionResult is what a lifecycle action did.
type ActionResult struct {
	Instance koomock.Instance `json:"instance"`
	// Order is the order the action placed, if any.
	Order *koomock.Order `json:"order,omitempty"`
	// Deliveries are the callbacks the action started, with their first attempts in Exchanges.
	Deliveries []koomock.Delivery `json:"deliveries,omitempty"`
	// Exchanges are the exchanges the action caused, in order.
	Exchanges []*koomock.Exchange `json:"exchanges"`
}

// Last returns the last exchange the action caused, or nil.
func (a ActionResult) Last() *koomock.Exchange {
	if len(a.Exchanges) == 0 {
		return nil
	}
	return a.Exchanges[len(a.Exchanges)-1]
}

// InstanceDetail is an instance with its history.
type InstanceDetail struct {
	Instance koomock.Instance `json:"instance"`
	// Orders are every order that names the instance, oldest first.
	Orders []koomock.Order `json:"orders"`
	// Deliveries are the callbacks about the instance, newest first.
	Deliveries []koomock.Delivery `json:"deliveries"`
	// Usage is what the seller pushed for the instance, and UsageTotal its sum.
	Usage      []koomock.UsageRecord `json:"usage"`
	UsageTotal float64               `json:"usageTotal"`
}

// QueryRequest asks koomock to send queryInstance for the instances.
type QueryRequest struct {
	InstanceIDs []string `json:"instanceIds"`
}

// DebugCallRequest sends the callback the seller console's debugging sends: testFlag "1", with one of
// KooGallery's debug orders (MOCK...) or an instance.
type DebugCallRequest struct {
	Activity protocol.Activity `json:"activity"`
	// OrderID is a debug order (default: the one that fits the activity).
	OrderID    string `json:"orderId,omitempty"`
	InstanceID string `json:"instanceId,omitempty"`
}

// Instances returns the newest instances first.
func (c *Client) Instances(ctx context.Context) ([]koomock.Instance, error) {
	var r struct {
		Instances []koomock.Instance `json:"instances"`
	}
	err := c.do(ctx, http.MethodGet, "/_mock/instances", nil, &r)
	return r.Instances, err
}

// Instance returns an instance with its orders, deliveries and pushed usage.
func (c *Client) Instance(ctx context.Context, id string) (InstanceDetail, error) {
	var d InstanceDetail
	err := c.do(ctx, http.MethodGet, "/_mock/instances/"+url.PathEscape(id), nil, &d)
	return d, err
}

// Act runs a lifecycle action (one of Actions) on an instance.
func (c *Client) Act(ctx context.Context, instanceID, action string, req InstanceAction) (ActionResult, error) {
	var r ActionResult
	err := c.do(ctx, http.MethodPost, "/_mock/instances/"+url.PathEscape(instanceID)+"/"+action, req, &r)
	return r, err
}

// Query sends queryInstance for the instances and returns the judged exchange.
func (c *Client) Query(ctx context.Context, req QueryRequest) (*koomock.Exchange, error) {
	var r ExchangeResult
	err := c.do(ctx, http.MethodPost, "/_mock/query", req, &r)
	return r.Exchange, err
}

// DebugCall sends a debug callback (testFlag "1"), as the seller console's debugging does.
func (c *Client) DebugCall(ctx context.Context, req DebugCallRequest) (*koomock.Exchange, error) {
	var r ExchangeResult
	err := c.do(ctx, http.MethodPost, "/_mock/debug-calls", req, &r)
	return r.Exchange, err
}
