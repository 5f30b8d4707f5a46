@saas @orderQuery @needs-mock-addr
Feature: The seller looks orders up (order query API)
  A V2 newInstance carries no customer or product data: the seller reads them with KooGallery's order
  query, GET /api/mkp-openapi-public/global/v1/order/query, signed with AK/SK (SDK-HMAC-SHA256) as
  Huawei's SDK signs. KooGallery's console debugging uses documented debug orders (MOCK...), which
  must resolve too. (spec saas-v2 §3.1, §6.1, §6.2)

  @period
  Scenario: The seller looks a new order up
    When a buyer pays for a yearly order
    Then the seller looked the order up with a correctly signed order query
    And the seller accepts the callback

  Scenario Outline: Console debugging with the debug order <order>
    When KooGallery's console sends a debug newInstance for the order "<order>"
    Then the seller looked the order up with a correctly signed order query
    And the seller accepts the callback
    And the answer follows every KooGallery rule

    @period
    Examples: periodic
      | order             |
      | MOCKPERIODYEARNEW |

    @onetime
    Examples: one-time
      | order          |
      | MOCKONETIMENEW |

    @ondemand
    Examples: pay per use
      | order        |
      | MOCKONDEMAND |

    @package
    Examples: package
      | order           |
      | MOCKONDEMANDPKG |

    @trial
    Examples: trial
      | order              |
      | MOCKPERIODDAYTRIAL |
