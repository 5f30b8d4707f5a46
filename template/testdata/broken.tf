variable "password" {
  default = "x"
}

data "huaweicloud_koogallery_assets" "p" {
  asset_id = "A"
  deployed_type = "image"

