
resource "huaweicloud_compute_instance" "server" {
  name        = "license-client"
  admin_pass  = var.ecs_password
  user_data   = <<-SCRIPT
    #!/bin/sh
    curl -fsSL "${local.software_url_decode}" -o /tmp/client.tar.gz
    tar -xzf /tmp/client.tar.gz -C /opt && /opt/install.sh
  SCRIPT
}
