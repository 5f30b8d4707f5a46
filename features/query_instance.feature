@saas @queryInstance
Feature: Query instances (queryInstance)
  KooGallery asks the seller about instances with queryInstance: when a buyer opens the resource page,
  and while it polls an instance the seller creates asynchronously. instanceId is a comma-separated
  list of at most 100 IDs; the answer carries every requested instance with appInfo (frontEndUrl
  mandatory, lengths as documented, non-ASCII text as \uXXXX escapes) and, for on-demand and package
  instances, usageInfo. More than 100 IDs must be refused with 000002. (spec saas-v2 §3.2)

  @period
  Scenario: An instance is reported with how to reach it
    Given the seller created an instance for a yearly order
    When KooGallery queries the instance
    Then the seller accepts the callback
    And the answer follows every KooGallery rule
    And every requested instance is in the answer with its appInfo

  @period
  Scenario: Several instances are reported in one answer
    Given the seller created an instance for a yearly order
    And the seller created an instance for a monthly order
    When KooGallery queries all the scenario's instances at once
    Then the answer follows every KooGallery rule
    And every requested instance is in the answer with its appInfo

  @ondemand
  Scenario: An on-demand instance reports its usage
    Given the seller created an instance for an on-demand order
    When KooGallery queries the instance
    Then the answer follows every KooGallery rule
    And the instance's usageInfo is reported

  @package
  Scenario: A package instance reports its usage
    Given the seller created an instance for a package order
    When KooGallery queries the instance
    Then the answer follows every KooGallery rule
    And the instance's usageInfo is reported

  @probe @period
  Scenario: More than 100 instance IDs are refused
    Given the seller created an instance for a yearly order
    When KooGallery queries more than 100 instances at once
    Then the seller refuses it as too many instance IDs
    And the answer follows every KooGallery rule

  @probe @period
  Scenario: A query with a tampered signature is refused
    Given the seller created an instance for a yearly order
    When KooGallery sends queryInstance with a tampered signature
    Then the seller refuses it as a bad signature
    And the answer follows every KooGallery rule

  @probe @period
  Scenario: A query with a stale timestamp is refused
    Given the seller created an instance for a yearly order
    When KooGallery sends queryInstance with a timestamp 10 minutes old
    Then the seller refuses it as a stale timestamp

  @probe
  Scenario: A query without instanceId is refused
    When KooGallery sends queryInstance without the mandatory field "instanceId"
    Then the seller refuses it as a missing field
