variable "db_password" {
  description = "The database password"
}

variable "flavor" {}

data "huaweicloud_koogallery_assets" "package" {
  asset_id      = "ASSET-ID"
  deployed_type = "software_package"
}

locals {
  software_url_decode = jsondecode("\"${data.huaweicloud_koogallery_assets.package.assets[0].software_pkg_deployed_object[0].internal_path}\"")
}

resource "huaweicloud_compute_instance" "server" {
  flavor_id = var.flavor
  user_data = base64encode("curl -fsSL '${local.software_url_decode}' | sh")
}
