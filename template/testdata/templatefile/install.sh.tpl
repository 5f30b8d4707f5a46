#!/bin/sh
curl -fsSL "${package_url}" -o /tmp/client.tar.gz && tar -xzf /tmp/client.tar.gz -C /opt
