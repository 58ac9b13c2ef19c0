/** Implementation details of the policy engine; not API. */
@NullMarked
package dev.warden.policy.internal;

import org.jspecify.annotations.NullMarked;
