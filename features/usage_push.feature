@saas @usagePush @ondemand @package @needs-mock-addr
Feature: The seller pushes usage (usage push API)
  The seller pushes what its pay-per-use instances used to KooGallery (POST
  /api/mkp-openapi-public/global/v1/isv/usage-data, signed with ts, nonce and a body signature; or the
  old AK/SK push), at most 1000 records at a time, each with a unique metering_sn; KooGallery bills
  from it and compares it with the usage queryInstance reports. (spec saas-v2 §3.2, §6.3)

  Scenario: Usage pushed for an on-demand instance matches what queryInstance reports
    Given the seller created an instance for an on-demand order
    When KooGallery queries the instance
    Then the seller pushed usage for the instance with a valid signature
    And the answer follows every KooGallery rule
    And the instance's usageInfo is reported
