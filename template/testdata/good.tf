variable "ecs_password" {
  description = "The password of the server's root user"
  type        = string
  sensitive   = true
}

variable "asset_version" {
  description = "The version of the package to install"
  default     = "V1.0"
}

data "huaweicloud_koogallery_assets" "package" {
  asset_id      = "ASSET-ID"
  deployed_type = "software_package"
  asset_version = var.asset_version
}

locals {
  software_url        = data.huaweicloud_koogallery_assets.package.assets[0].software_pkg_deployed_object[0].internal_path
  software_url_decode = jsondecode("\"${local.software_url}\"")
}

resource "huaweicloud_compute_instance" "server" {
  name        = "license-client"
  admin_pass  = var.ecs_password
  user_data   = <<-SCRIPT
    #!/bin/sh
    curl -fsSL "${local.software_url_decode}" -o /tmp/client.tar.gz
    tar -xzf /tmp/client.tar.gz -C /opt && /opt/install.sh
  SCRIPT
}
