// Package saas emulates KooGallery's SaaS side: orders, the instances sellers create for them, and
// the basic-interface callbacks that carry their life to the seller, judged against KooGallery's rules.
//
// Every lifecycle callback is a delivery (package delivery): retried on schedule, persisted, listed.
// The market's own timed work (expiry at expireTime, release at the end of the freeze window, polling
// after a 000004 newInstance) is scheduled jobs on koomock's clock.
//
// Control API routes (mounted under /_mock by package mock):
//
//	POST /orders                       buy: place and pay an order, which fires newInstance
//	GET  /orders                       the newest orders
//	GET  /orders/{orderId}             one order and its instance
//	POST /orders/{orderId}/resend      send newInstance again with a new businessId, as KooGallery does
//	POST /orders/{orderId}/notify      send orderNotify (订单通知) for the order, to products that declare it
//	GET  /instances                    the newest instances
//	GET  /instances/{id}               an instance with its orders, deliveries and pushed usage
//	POST /instances/{id}/{action}      renew, convert, cancel-renewal, renewal-change, change-check,
//	                                   upgrade, freeze, unfreeze, expire, release, unsubscribe
//	POST /query                        queryInstance for up to 100 instances
//	POST /debug-calls                  what the console's debugging sends (testFlag 1, MOCK orders)
//	POST /probes                       send a deliberately faulty callback and judge the refusal
package saas
