package controlapi

import (
	"time"

	"github.com/koomock/koomock"
	"github.com/koomock/koomock/protocol"
)

// BuyRequest asks koomock to place an order as a buyer would; paying for it fires newInstance.
// Zero fields take defaults: a yearly periodic order of the catalog's product for the charging mode.
type BuyRequest struct {
	ChargingMode koomock.ChargingMode `json:"chargingMode,omitempty"`
	PeriodType   koomock.PeriodType   `json:"periodType,omitempty"`
	PeriodNumber int                  `json:"periodNumber,omitempty"`
	ProductID    string               `json:"productId,omitempty"`
	// TestFlag "1" marks a debug order, as the seller console's debugging sends.
	TestFlag string `json:"testFlag,omitempty"`
	// Trial buys a trial (a periodic product; 7 days unless a period is given).
	Trial bool `json:"trial,omitempty"`
	// LinearValue is the quantity of a linear attribute (users, seats).
	LinearValue int `json:"linearValue,omitempty"`
	// ExtendParams are purchase-time parameters, returned by the order query.
	ExtendParams []koomock.Param `json:"extendParams,omitempty"`
}

// Purchase is an order with what the seller made of it.
type Purchase struct {
	Order    koomock.Order     `json:"order"`
	Instance *koomock.Instance `json:"instance,omitempty"`
	// Exchange is the callback this request caused, with its verdicts.
	Exchange *koomock.Exchange `json:"exchange,omitempty"`
}

// ProbeRequest asks koomock to send a deliberately faulty callback and judge whether the seller
// refuses it.
type ProbeRequest struct {
	Activity protocol.Activity `json:"activity"`
	// Probe: tampered-signature, stale-timestamp, missing-signature or missing-field:FIELD.
	Probe string `json:"probe"`
	// Refusals are the result codes that count as a refusal; empty means the probe's defaults.
	Refusals []string `json:"refusals,omitempty"`
	// InstanceID is the instance a probe of an instance activity names; a made-up one when empty.
	InstanceID string `json:"instanceId,omitempty"`
}

// ExchangeResult carries one exchange.
type ExchangeResult struct {
	Exchange *koomock.Exchange `json:"exchange"`
}

// ExchangeList carries journal entries, newest first.
type ExchangeList struct {
	Exchanges []koomock.Exchange `json:"exchanges"`
}

// Reproduction is a ready-to-run command that re-sends an exchange with a fresh signature.
type Reproduction struct {
	Curl string `json:"curl"`
}

// ClockState is koomock's clock.
type ClockState struct {
	Virtual bool      `json:"virtual"`
	Now     time.Time `json:"now"`
}

// ClockRequest switches the clock: Mode "virtual" (standing at Now, or the current time when Now is
// zero) or "real".
type ClockRequest struct {
	Mode string    `json:"mode"`
	Now  time.Time `json:"now,omitzero"`
}

// AdvanceRequest moves virtual time forward, by a Go duration ("90m", "720h") or days ("30d").
type AdvanceRequest struct {
	By string `json:"by"`
}

// HTTPSSettings describe koomock's HTTPS listener: where it is and the CA its certificate comes from,
// which clients must trust. The CA's key never leaves koomock.
type HTTPSSettings struct {
	URL string `json:"url"`
	// CAFingerprint is the SHA-256 of the CA certificate, in hex.
	CAFingerprint string `json:"caFingerprint"`
	// CACert is the CA certificate in PEM, also served at GET /_mock/ca.pem.
	CACert string `json:"caCert"`
}

// Settings are koomock's effective settings, secrets masked.
type Settings struct {
	Version   string `json:"version"`
	PublicURL string `json:"publicUrl"`
	SellerURL string `json:"sellerUrl"`
	// BundledSeller is set when SellerURL is koomock's bundled reference seller, run in-process
	// because no seller URL was given.
	BundledSeller bool   `json:"bundledSeller,omitempty"`
	AccessKey     string `json:"accessKey"`
	// AK is the access key ID the seller signs open-API calls with; SK its secret, masked.
	AK string `json:"ak"`
	SK string `json:"sk"`
	// CallbackTimeout is how long koomock waits for a seller's answer.
	CallbackTimeout string `json:"callbackTimeout"`
	// Strict is set when every advisory rule counts as required (--strict); RequireBodySign when a
	// wrong or missing Body-Sign fails (--require-body-sign).
	Strict          bool `json:"strict"`
	RequireBodySign bool `json:"requireBodySign"`
	// HTTPS is koomock's HTTPS listener under KooGallery's host name, when it serves one.
	HTTPS *HTTPSSettings `json:"https,omitempty"`
	// Market is how koomock behaves where KooGallery's documentation leaves a choice.
	Market MarketSettings `json:"market"`
	// Joint are the joint-operation settings: kit syncs and the demo tenant's login.
	Joint *JointSettings `json:"joint,omitempty"`
	// LicenseURL is the seller's license production URL when one was set; empty means the license
	// callbacks go to the seller URL. LicenseKey signs them, masked.
	LicenseURL string `json:"licenseUrl,omitempty"`
	LicenseKey string `json:"licenseKey"`
	// DemoLicenseCodes are the test codes every koomock starts with, as they stand now: a seller's
	// software can activate them without buying anything.
	DemoLicenseCodes []koomock.LicenseCode `json:"demoLicenseCodes"`
}

// MarketSettings are the schedules and switches of the SaaS market, durations as Go durations.
type MarketSettings struct {
	RetryEvery        string `json:"retryEvery"`
	RetryCreateFor    string `json:"retryCreateFor"`
	RetryOtherFor     string `json:"retryOtherFor"`
	AsyncPollEvery    string `json:"asyncPollEvery"`
	FreezeFor         string `json:"freezeFor"`
	TestFlagZero      bool   `json:"testFlagZero"`
	ProductInfoString bool   `json:"productInfoString"`
	ExpireTimeDigits  int    `json:"expireTimeDigits"`
	StrictUsageInfo   bool   `json:"strictUsageInfo"`
	UsagePushAPIG     bool   `json:"usagePushApig"`
}

// Job is a piece of scheduled work: a callback retry, an expiry, a dial test.
type Job struct {
	Kind    string    `json:"kind"`
	Key     string    `json:"key,omitempty"`
	DueAt   time.Time `json:"dueAt"`
	Attempt int       `json:"attempt"`
}

// JobList carries pending jobs, soonest first.
type JobList struct {
	Jobs []Job `json:"jobs"`
}

// FaultDeclaration describes a fault koomock offers.
type FaultDeclaration struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Value       string `json:"value,omitempty"`
	// Choices are values the fault knows, to suggest; other values are accepted as its Value says.
	Choices []string `json:"choices,omitempty"`
	Targets []string `json:"targets,omitempty"`
}

// FaultList carries the active faults and the catalogue of offered ones.
type FaultList struct {
	Active  []koomock.Fault    `json:"active"`
	Offered []FaultDeclaration `json:"offered"`
}

// OrderList carries orders, newest first.
type OrderList struct {
	Orders []koomock.Order `json:"orders"`
}
