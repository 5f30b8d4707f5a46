// Package saas emulates KooGallery's SaaS side: orders, the instances sellers create for them, and
// the basic-interface callbacks that carry their life to the seller, judged against KooGallery's rules.
//
// Control API routes (mounted under /_mock by package mock):
//
//	POST /orders                  buy: place and pay an order, which fires newInstance
//	GET  /orders                  the newest orders
//	GET  /orders/{orderId}        one order and its instance
//	POST /orders/{orderId}/resend send newInstance again with a new businessId, as KooGallery does
//	POST /probes                  send a deliberately faulty callback and judge the refusal
package saas
