@saas @newInstance @async @exclusive @needs-mock-addr
Feature: Asynchronous creation
  A seller that needs time to create an instance answers newInstance with 000004 and its instanceId at
  once; KooGallery then polls queryInstance (every 5 minutes by default) until the answer carries the
  instance, and cancels the order if the create window (3 hours) closes first. Callbacks about the
  instance may arrive before the creation finished, and must be accepted. The reference seller creates
  asynchronously when the order's extendParams say provisioning=async. These scenarios move koomock's
  clock, so they run alone. (spec saas-v2 §1, §3.1, §3.2)

  Scenario: An instance created asynchronously is delivered through queryInstance
    When a buyer pays for a yearly order the seller creates asynchronously
    Then the instance is creating
    When KooGallery polls until the instance is delivered
    Then the polls followed every KooGallery rule

  Scenario: A renewal before the creation finished
    When a buyer pays for a yearly order the seller creates asynchronously
    And the buyer renews the instance
    Then the refreshInstance is delivered
    When KooGallery polls until the instance is delivered
    Then the polls followed every KooGallery rule
