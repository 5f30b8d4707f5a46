@deploy
Feature: The buyer deploys the seller's License software in one click (License类自动部署商品)
  A License product sold with automatic deployment (自动部署) is an application asset in the asset
  centre (资产中心): the seller uploads the deployable (部署物: the software with its install and start
  scripts) as a version of a software_package asset and attaches an auto-deploy (RFS) template. The
  template reads the package through the data source huaweicloud_koogallery_assets, un-escapes its
  internal_path with jsondecode and downloads it in the server's user_data. The buyer buys a license
  code and deploys in one click; the installed software then activates the code with KooGallery's
  License API and checks its status. koomock uploads the seller's package (--deploy-package) and
  template (--deploy-template, its asset_id set to the uploaded asset), checks the template as koomock
  template check does, and runs the user_data in a container as koomock template deploy does (Docker).
  (spec license-login §5, §1.4-§1.5)

  Scenario: The seller's package is in the asset centre with its template attached
    Given the seller uploaded the deploy package as an asset with its template attached
    Then the asset holds the package with its checksum and the template

  Scenario: The template passes template check
    Given the seller uploaded the deploy package as an asset with its template attached
    When koomock checks the template
    Then the template follows every template rule

  @slow
  Scenario: A buyer buys a license code, deploys the software, and it activates the code
    Given the seller uploaded the deploy package as an asset with its template attached
    And a buyer bought a license code
    When the buyer deploys the template in a container
    Then the server downloaded the package and its checksum matches
    And the install script exited with 0
    And koomock saw the software activate the buyer's code
    And koomock saw the software check the code's status
