// Package notify sends KooGallery's signed callbacks to a seller and judges the answers.
//
// Delivery semantics, chosen deliberately:
//   - One Send is one attempt. Retrying on schedule is the caller's decision (KooGallery retries per
//     activity), so every attempt appears in the journal on its own.
//   - The body is built once in canonical form and those exact bytes are both signed and sent, so a
//     seller that hashes the raw body and one that re-serialises it sorted both verify.
//   - Each attempt runs on a context detached from the caller's cancellation, with its own timeout
//     (KooGallery waits 5 s); redirects are never followed; at most MaxAnswerBytes of an answer are read.
//   - Every attempt, failed or not, is recorded with its verdicts before Send returns.
//   - No ordering between concurrent Sends; the seller's idempotency key is the body (orderId +
//     orderLineId for newInstance), never the nonce.
package notify
