@saas @lifecycle
Feature: An instance's life
  Orders and instances follow KooGallery's life: a purchase of each kind, expiry at expireTime
  (FREEZE), the freeze window of 15 days, then release; a renewal unfreezes; a trial is converted.
  These scenarios move koomock's virtual clock, so they run alone (@exclusive). (spec saas-v2 §1, §3)

  Scenario Outline: A <kind> purchase creates an instance
    Given the seller created an instance for a <kind> order
    Then the answer follows every KooGallery rule
    And the instance is active

    @period
    Examples: periodic
      | kind    |
      | yearly  |
      | monthly |
      | daily   |

    @onetime
    Examples: one-time
      | kind     |
      | one-time |

    @ondemand
    Examples: pay per use
      | kind      |
      | on-demand |

    @package
    Examples: package
      | kind    |
      | package |

    @trial
    Examples: trial
      | kind  |
      | trial |

  @period
  Scenario: The console expires an instance at once
    Given the seller created an instance for a yearly order
    When KooGallery expires the instance now
    Then the seller accepts the callback
    And the answer follows every KooGallery rule
    And KooGallery froze the instance and the seller accepted

  @period @exclusive
  Scenario: An instance expires, is frozen, and is released after the freeze window
    Given the seller created an instance for a monthly order
    When the instance's period ends
    Then KooGallery froze the instance and the seller accepted
    When 14 days pass
    Then the instance is frozen
    When 1 day passes
    Then KooGallery released the instance and the seller accepted

  @period @exclusive
  Scenario: A renewal during the freeze window unfreezes the instance
    Given the seller created an instance for a daily order
    When the instance's period ends
    Then KooGallery froze the instance and the seller accepted
    When the buyer renews the instance for 1 month
    Then the seller accepts the callback
    And KooGallery unfroze the instance and the seller accepted
    When 15 days pass
    Then the instance is active

  @trial @exclusive
  Scenario: An expired trial is converted during the freeze window
    Given the seller created an instance for a trial order
    When the instance's period ends
    Then KooGallery froze the instance and the seller accepted
    When the buyer converts the trial to a formal purchase
    Then the seller accepts the callback
    And KooGallery unfroze the instance and the seller accepted
