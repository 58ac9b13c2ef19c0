/** Implementation details of warden-egress; not an API, may change without notice. */
@NullMarked
package dev.warden.egress.internal;

import org.jspecify.annotations.NullMarked;
