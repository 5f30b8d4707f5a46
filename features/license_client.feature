@license
Feature: The seller's software checks its license code (License 2.0)
  A buyer gives the license code to the seller's software. On the first use of each day the software
  activates the code (once), queries its status (the heartbeat, which alone tells the real status and
  expiry) and reports the day's usage, all signed with the seller's AK/SK. When the code is expired,
  released or unknown, already activated by another installation, or KooGallery cannot confirm it, the
  software must block the user and guide them to renew. koomock runs the software (--license-client-cmd)
  once per day of use and reads its decision from its exit status or a marker line
  (docs/license-client.md). The gateway's failures (5xx, slower than the software's timeout) are scripted
  in failure_license.feature. (spec license-login §1.1, §1.4-§1.6)

  @licenseActivate @licenseHeartbeat
  Scenario: The software activates a new code and checks it
    Given a buyer bought a license code
    When the software starts with the code
    Then the software activated the code
    And the software checked the code's status
    And the software runs
    And the software's calls follow every KooGallery rule

  @licenseHeartbeat
  Scenario: The software checks the code again on the next day
    Given a buyer bought a license code
    And the software started with the code and runs
    When the software starts again the next day
    Then the software checked the code's status again
    And the software runs
    And the software's calls follow every KooGallery rule

  @licenseUsage @optional
  Scenario: The software reports the day's usage
    Given a buyer bought a license code
    When the software starts with the code
    Then the software reported usage statistics
    And the software's calls follow every KooGallery rule

  @licenseHeartbeat
  Scenario: The code expires while the software is in use
    Given a buyer bought a license code
    And the software started with the code and runs
    When the license code expires
    And the software starts again the next day
    Then the software checked the code's status again
    And the software blocks the user

  @licenseHeartbeat
  Scenario: The code is released while the software is in use
    Given a buyer bought a license code
    And the software started with the code and runs
    When KooGallery releases the code
    And the software starts again the next day
    Then the software blocks the user

  @licenseActivate
  Scenario: The software refuses a code KooGallery never issued
    When the software starts with a code KooGallery never issued
    Then the software blocks the user

  @licenseActivate
  Scenario: The software refuses a code already activated by another installation
    Given a buyer bought a license code
    And another installation of the software activated the code
    When the software starts with the code
    Then the software blocks the user

  @licenseActivate
  Scenario: The software blocks when the gateway refuses its credentials
    Given a buyer bought a license code
    And the gateway refuses the software's credentials
    When the software starts with the code
    Then the software blocks the user
