// Package diagnose tells a seller exactly why a signature does not match. koomock knows both sides'
// keys, so where KooGallery only says "鉴权失败" or "verify aksk signature fail", a diagnosis shows the
// canonical values koomock expected and, when the seller's signature matches a known mistake
// (a canonical URI without its trailing slash, upper-case hex, a re-encoded body...), names it and
// shows the values under that mistake.
//
// Every function recomputes candidate signatures with the secret, and returns only signatures, digests
// and canonical strings: never the secret itself.
package diagnose
