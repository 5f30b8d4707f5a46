#!/bin/sh
# install.sh KOOGALLERY_URL LICENSE_CODE: installs the reference License client under
# /opt/licenseclient and starts it in the background (the auto-deploy template's user_data runs this).
set -e
mkdir -p /opt/licenseclient
cp licenseclient start.sh /opt/licenseclient/
chmod 755 /opt/licenseclient/licenseclient /opt/licenseclient/start.sh
/opt/licenseclient/start.sh "$1" "$2" &
