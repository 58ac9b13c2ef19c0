/**
 * The static skill scanner ({@link dev.warden.registry.scan.SkillScanner}): findings with reason
 * codes ({@link dev.warden.registry.scan.Rule}), a verdict per skill
 * ({@link dev.warden.registry.scan.Verdict#of}), text/JSON/SARIF output
 * ({@link dev.warden.registry.scan.ScanFormat}) and the body of {@code warden skills scan}
 * ({@link dev.warden.registry.scan.ScanCli}). See {@code docs/scanner.md}.
 */
package dev.warden.registry.scan;
