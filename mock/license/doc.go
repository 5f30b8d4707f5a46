// Package license emulates KooGallery's License 2.0 side (spec license-login §1): the license codes
// buyers receive, the APIs the seller's software calls to activate and check them, and the callbacks
// KooGallery sends to the seller's license production URL as the codes live, expire and are released.
//
// Open APIs (behind koomock's API Gateway, AK/SK):
//
//	POST /api/mkp-openapi-public/global/v1/license/activate             activate a code
//	POST /api/mkp-openapi-public/global/v2/license/activate             activate up to 100 codes
//	POST /api/mkp-openapi-public/global/v1/license/heartbeat            a code's status (the heartbeat)
//	POST /api/mkp-openapi-public/global/v2/license/heartbeat            up to 100 codes' status
//	POST /api/mkp-openapi-public/global/v2/license/software-usage-info  the day's usage statistics
//
// Control API routes (mounted under /_mock/license by package mock):
//
//	POST /orders                     buy: an order of codes, received by the buyer unless asked not to
//	POST /test-codes                 test codes, as the seller console makes them
//	GET  /codes                      every code, newest first
//	GET  /codes/{code}               one code with its history (activations, heartbeats, usage, lifecycle)
//	POST /codes/{code}/{action}      receive, activate (as another installation), renew,
//	                                 unsubscribe-renewal, expire, release, unsubscribe
//	POST /probes                     send a deliberately faulty license callback
//
// The life of a code: issued with a purchase (or as a test code), received by the buyer, activated by
// the software, checked daily; at its expiry it is frozen (updateLicenseCodeStatus FREEZE) for the
// freeze window (15 days), during which a renewal (refreshLicenseCode RENEWAL) unfreezes it (UNFREEZE);
// at the end of the window, or on unsubscription, it is released (releaseLicenseCode). Expiry and the
// freeze window follow koomock's clock, as scheduled jobs. The callbacks go through mock/delivery like
// every callback koomock sends: a callback the seller does not accept is sent again every 2 minutes,
// 60 times, each attempt built from the code's state at the time.
//
// State is written through: the codes live in memory for the hot path (the heartbeat) and every change
// is stored in SQLite before it is published or answered.
package license
