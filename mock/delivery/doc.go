// Package delivery delivers KooGallery's callbacks the way KooGallery does: a first attempt at once,
// then, while the seller fails (an answer other than success, an HTTP status other than 200, no
// answer within 5 s, an answer that is not JSON), further attempts on a schedule until a window
// closes (create and upgrade 3 h, renewal, expiry and release 1 h), then it gives up and the seller
// must re-trigger the message from the console (卖家中心 > 生产接口消息 > 重新启动).
//
// Semantics, chosen deliberately:
//   - A Delivery is persisted with its attempts; a pending retry is a scheduled job on koomock's
//     clock, so retries survive a restart and follow the virtual clock.
//   - Each attempt is one exchange in the journal (two when the duplicate fault fires).
//   - Flows register a Kind that builds each attempt (fresh checks, renewed fields such as
//     newInstance's businessId) and settles the outcome (an instance created, an order cancelled).
//   - The scripted faults that act on callbacks are applied here, for every callback koomock sends
//     through Send: seller-unreachable (the seller is not contacted), callback-tamper-signature (a real
//     callback goes out with a tampered signature) and callback-duplicate (it is delivered twice).
//
// Control API (mounted under /_mock by package mock):
//
//	GET  /deliveries              deliveries, newest first (?status=failed lists what KooGallery gave up on)
//	GET  /deliveries/{id}         one delivery with its attempts
//	POST /deliveries/{id}/resend  one attempt now, as the seller console's re-trigger does
package delivery
