// Package deploy plays a buyer's one-click deployment of a License product on the laptop (spec
// license-login §5): the auto-deploy template is evaluated with the buyer's inputs, its
// huaweicloud_koogallery_assets data source answered by koomock's deployed-object API (signed with
// AK/SK as the provider signs it), and each server's user_data runs in a container in place of the
// ECS; then it reports each step: the package downloaded, its checksum, the install script's exit
// code, and the software's first license activation and heartbeat as koomock's License API saw them.
//
// Semantics chosen deliberately:
//
//   - The container reaches koomock through a relay this package listens on where containers reach
//     the host (the host's address on Docker's bridge, named host.docker.internal through the
//     engine's host-gateway), so koomock itself may listen on loopback. The relay keeps the Host
//     header (open-API signatures cover it) and watches what passes: the download's bytes are hashed
//     on the way, and each License API call wakes the wait for the activation, which then reads the
//     codes from the control API. There is no polling and no fixed sleep.
//   - internal_path is rewritten to the relay's address, as the container must reach it; the URL
//     keeps koomock's signature, which does not cover the host. A template variable koogallery_url,
//     when declared and not given, is set to koomock's URL as the server reaches it: on KooGallery it
//     would be https://mkt.myhuaweicloud.com.
//   - The default image is built offline, FROM scratch with a static busybox (Debian's
//     busybox-static): sh, wget, tar, gzip, unzip, sha256sum, and shims for what busybox lacks: a
//     curl that maps the common download flags (-fsSL, -o, -O) to busybox's wget, a nohup, and a
//     bash that is busybox's ash. The script is put where cloud-init keeps it
//     (/var/lib/cloud/instance/user-data.txt) and run as root (by its #! line); the container stays
//     up after it, so software it starts in the background keeps running until the report is made.
//   - Secrets (sensitive variables such as the ECS password, koomock's SK) are masked in the
//     container's output as it is printed.
package deploy
