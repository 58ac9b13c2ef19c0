/**
 * Warden's scenario suite and first-run demo: {@link dev.warden.scenarios.ScenarioRunner} plays
 * attack and benign scenarios (docs/scenarios.md) against fresh homes with an obedient scripted
 * model and reports attack success, task success and approval prompts;
 * {@link dev.warden.scenarios.Demo} narrates the five-step compromise chain (docs/demo.md).
 */
package dev.warden.scenarios;
