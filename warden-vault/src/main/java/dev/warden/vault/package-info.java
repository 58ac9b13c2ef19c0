/**
 * Warden's credential vault: AES-256-GCM encrypted secrets with host bindings, placeholders that
 * stand in for values everywhere outside the egress proxy, and a {@link dev.warden.vault.Redactor}
 * that scrubs values (and their encodings) from logs, audit records, model context and channel
 * output.
 *
 * <p>Secret values leave a {@link dev.warden.vault.Secret} only for a caller holding a
 * {@link dev.warden.vault.SecretAccess}; grep for {@code InsecureSecretAccess} to find every such
 * caller.
 */
@NullMarked
package dev.warden.vault;

import org.jspecify.annotations.NullMarked;
