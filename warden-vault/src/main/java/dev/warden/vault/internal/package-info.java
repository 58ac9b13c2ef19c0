/** Implementation details of warden-vault; not an API, may change without notice. */
@NullMarked
package dev.warden.vault.internal;

import org.jspecify.annotations.NullMarked;
