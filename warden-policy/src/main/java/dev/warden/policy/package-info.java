/** Warden's policy engine: Cedar policies with Warden's annotations, and the policy test-file runner. */
@NullMarked
package dev.warden.policy;

import org.jspecify.annotations.NullMarked;
