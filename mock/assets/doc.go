// Package assets emulates KooGallery's asset centre (资产中心) for License software sold with automatic
// deployment (spec license-login §5): application assets whose versions each hold a deployable, a
// software package or an image reference, and the open API behind the Terraform data source
// huaweicloud_koogallery_assets that an auto-deploy template reads the package through.
//
// Open APIs (the first behind koomock's API Gateway, AK/SK; the second is the download URL the first
// hands out, signed and expiring like an OBS temporary URL):
//
//	GET  /api/mkp-openapi-public/v1/asset/deployed-object   an asset's deployable, per version
//	GET  /asset-packages/{assetId}/{versionId}/{packageName} a package's bytes, with Range support
//	HEAD /asset-packages/{assetId}/{versionId}/{packageName} its size and checksum (ETag)
//
// Control API routes (mounted under /_mock/assets by package mock):
//
//	POST   /                            create an asset: {"name", "deployedType"}
//	GET    /                            every asset, oldest first
//	GET    /{assetId}                   one asset with its versions
//	DELETE /{assetId}                   delete it and its stored packages (conflict while a version is in use)
//	PUT    /{assetId}/versions/{version} create or replace a version: the package bytes as the body
//	                                    (?packageName=NAME, optional &sha256=HEX), or a JSON body naming
//	                                    an image or an OBS object URL to import from
//	DELETE /{assetId}/versions/{version} delete a version and its package; one in use by a bought
//	                                    product is refused (conflict)
//	PUT    /{assetId}/templates/{name}  attach (or replace) an auto-deploy template (.tf, .tf.json)
//	GET    /{assetId}/templates/{name}  one template with its text
//	DELETE /{assetId}/templates/{name}  detach a template; an asset's last one is refused (conflict)
//
// Semantics chosen deliberately:
//
//   - A package is streamed to a temporary file in the data directory while its SHA-256 is computed,
//     and moved into place only once it is whole, its name and format pass the asset security
//     standard (letters, digits, "-", "_", half-width parentheses; .zip, .tar, .tar.gz; at most 20 GB)
//     and the asset's record is stored: a truncated upload leaves nothing behind. Uploads of any size
//     up to 20 GB are accepted directly (on the laptop there is no OBS to go through); an OBS import
//     is refused unless its bucket is in cn-north-4, as the seed says.
//   - The deployed-object answer follows the golangsdk client the provider decodes it with:
//     image_deployed_object and software_pkg_deployed_object are one object each (the provider makes
//     each a one-element list for Terraform). internal_path is the download URL JSON-escaped, so the
//     docs' recipe jsondecode("\"${...}\"") un-escapes it. Without asset_version the latest version
//     is answered, with query_all=true every one.
//   - The API's error codes are not documented: koomock answers in the envelope of the backend's
//     other APIs, 95000001 (HTTP 400) for a missing or unknown parameter and 92020002 (invalid param,
//     HTTP 200, with what was wrong after the message) for an unknown asset, a wrong deployed_type or
//     a missing version. The path spelling is UNCERTAIN (golangsdk spells "assset"): Settings choose.
//   - A version is in use by a bought product while a License code bought since it was uploaded (not
//     a test code) is not released: that buyer may deploy it. Deleting it, or its asset, is refused
//     with the control API's conflict, naming the code; a version uploaded after every purchase, or
//     one whose buyers' codes are all released, can be deleted. koomock sells one License product, so
//     every bought code counts for every asset.
//   - A download URL names the version's checksum in its signature: once a version is replaced, URLs
//     handed out before no longer download. It expires on koomock's clock (an hour by default).
package assets
