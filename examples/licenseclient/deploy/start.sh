#!/bin/sh
# start.sh KOOGALLERY_URL LICENSE_CODE: runs the client. It activates the code, checks its status (the
# heartbeat) and then checks again every hour. The AK/SK are the seller's own on KooGallery; this
# package carries koomock's public demo pair unless KOOGALLERY_AK and KOOGALLERY_SK are set.
exec /opt/licenseclient/licenseclient --url "$1" --license "$2" --state-dir /opt/licenseclient/state --watch 1h \
  --ak "${KOOGALLERY_AK:-KOOMOCKDEMOAKEXAMPLE}" --sk "${KOOGALLERY_SK:-koomockDemoSecretKeyForLocalTestsOnly000}"
